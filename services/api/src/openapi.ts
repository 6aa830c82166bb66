import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Doc = ReturnType<typeof jsonSchemaTransformObject> & { components?: { schemas?: Record<string, unknown> } };

/**
 * The document's last pass: the zod provider registers every named schema twice (as input and as
 * output, the input one named `<id>Input`); keep only the components an operation reaches, and
 * drop the `Input` suffix where only the input form is used, so each shape appears once under its
 * own name (`SubmitJob`, not `SubmitJobInput`) in the document and in generated clients.
 */
export function transformObject(input: Parameters<typeof jsonSchemaTransformObject>[0]): Doc {
  const doc = jsonSchemaTransformObject(input) as Doc;
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const v of node) visit(v);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
          const name = v.slice('#/components/schemas/'.length);
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else visit(v);
      }
    }
  };
  visit((doc as { paths?: unknown }).paths);
  const rename = new Map<string, string>();
  for (const name of used) if (name.endsWith('Input') && !used.has(name.slice(0, -5))) rename.set(name, name.slice(0, -5));
  const renamed = (name: string) => rename.get(name) ?? name;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? `#/components/schemas/${renamed(v.slice(21))}` : rewrite(v),
      ]),
    );
  };
  const kept = Object.fromEntries(Object.entries(schemas).flatMap(([name, schema]) => (used.has(name) ? [[renamed(name), rewrite(schema)]] : [])));
  return { ...doc, paths: rewrite((doc as { paths?: unknown }).paths), components: { ...doc.components, schemas: kept } } as Doc;
}
