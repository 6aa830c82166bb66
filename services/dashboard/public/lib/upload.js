// File uploads with progress: XMLHttpRequest (fetch reports no upload progress), through the
// dashboard's proxy, which streams the body to the API.
import { ApiError } from './api.js';
import { csrfHeaders, toLogin } from './session.js';

/**
 * POSTs `file` as the raw body to `/api${path}`; `onProgress(loaded, total)` as it goes out.
 * Resolves with the API's JSON answer, or rejects with an ApiError.
 */
export function uploadFile(path, file, { onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size));
    xhr.upload.addEventListener('load', () => onProgress?.(file.size, file.size));
    xhr.addEventListener('load', () => {
      if (xhr.status === 401) toLogin();
      let data = null;
      try {
        data = xhr.responseText === '' ? null : JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(file.size, file.size);
        resolve(data);
        return;
      }
      const error = data?.error;
      reject(
        new ApiError(
          xhr.status,
          typeof error?.code === 'string' ? error.code : null,
          typeof error?.message === 'string' ? error.message : xhr.statusText || 'upload failed',
          error?.details,
        ),
      );
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, null, 'The upload broke off (the dashboard server is unreachable)')));
    xhr.addEventListener('abort', () => reject(new DOMException('upload aborted', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

export function fmtBytes(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** A progress bar whose fill and label follow `set(loaded, total)`. */
export function uploadProgress(h, testid) {
  const fill = h('div', { class: 'progress-fill' });
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'data-testid': testid }, fill);
  const label = h('span', { class: 'muted', 'data-testid': `${testid}-label` });
  const el = h('div', { class: 'progress-row', hidden: true }, bar, label);
  return {
    el,
    set(loaded, total) {
      el.hidden = false;
      const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
      fill.style.width = `${percent}%`;
      bar.setAttribute('aria-valuenow', String(percent));
      label.textContent = `${percent} % · ${fmtBytes(loaded)} of ${fmtBytes(total)}`;
    },
    reset() {
      el.hidden = true;
      fill.style.width = '0%';
      bar.setAttribute('aria-valuenow', '0');
      label.textContent = '';
    },
  };
}
