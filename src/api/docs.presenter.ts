// OpenAPI document -> the reference page's view model: operations grouped by tag, with their
// parameters, bodies and responses; schemas shown as JSON (escaped by the template).
import type { OpenApiDocument } from "./openapi";

type Json = Record<string, unknown>;
const METHODS = ["get", "post", "put", "delete"] as const;

const schemaText = (schema: unknown) => JSON.stringify(schema, null, 2);
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const refName = (schema: unknown) => {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  return ref ? ref.split("/").pop()! : undefined;
};

function contentOf(content: unknown) {
  return Object.entries((content as Json | undefined) ?? {}).map(([type, media]) => {
    const schema = (media as Json).schema;
    const name = refName(schema);
    return { type, schemaName: name ?? null, schema: name ? null : schemaText(schema) };
  });
}

export function presentReference(document: OpenApiDocument) {
  const doc = document as unknown as Json & { paths: Record<string, Json>; components?: { schemas?: Json } };
  const groups = new Map<string, unknown[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ["Other"])[0]!;
      const parameters = ((op.parameters as Json[] | undefined) ?? []).map((p) => ({
        name: String(p.name),
        in: String(p.in),
        required: p.required === true,
        description: str(p.description) || str((p.schema as Json | undefined)?.description),
        schema: schemaText(p.schema),
      }));
      const body = op.requestBody as Json | undefined;
      const responses = Object.entries((op.responses as Json) ?? {}).map(([status, r]) => ({
        status,
        description: str((r as Json).description),
        content: contentOf((r as Json).content),
      }));
      (groups.get(tag) ?? groups.set(tag, []).get(tag)!).push({
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: str(op.summary),
        description: str(op.description),
        scope: str(op["x-scope"], "learner"),
        parameters,
        body: body ? contentOf(body.content) : [],
        responses,
      });
    }
  }
  const info = doc.info as { title: string; version: string; description: string };
  return {
    title: info.title,
    version: info.version,
    intro: info.description.split("\n\n"),
    server: ((doc.servers as { url: string }[] | undefined) ?? [])[0]?.url ?? "/api/v1",
    groups: [...groups].map(([tag, operations]) => ({ tag, operations })),
    schemas: Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => ({
      name,
      schema: schemaText(schema),
    })),
  };
}
