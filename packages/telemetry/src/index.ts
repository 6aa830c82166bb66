export { type HarnessObserver, jobObserver } from './job-observer.js';
export {
  type JobOutcome,
  jobOutcomes,
  type KilnService,
  kilnServices,
  type MetricDefinition,
  type MetricType,
  metricDefinitions,
  metricNames,
  metricsOf,
  processMetricNames,
  type SubmitOutcome,
  seriesNames,
  submitOutcomes,
} from './metric-names.js';
export { KilnMetrics, type KilnMetricsOptions, type QueueCounts } from './metrics.js';
export { checkReadiness, type Readiness, startTelemetryServer, type TelemetryServer, type TelemetryServerOptions } from './telemetry-server.js';
export {
  activeTraceContext,
  bullmqTelemetry,
  runInTraceContext,
  type ServerSpan,
  type SpanOptions,
  startServerSpan,
  startTracing,
  type TraceContext,
  type Tracing,
  type TracingOptions,
  traceMetadata,
  tracesUrl,
  withSpan,
} from './tracing.js';
