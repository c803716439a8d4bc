// Calls to /api/v1 through supertest (ContractClient) or plain HTTP to a listening server
// (HttpContractClient), each response checked against the OpenAPI document the app serves
// (ajv, JSON Schema 2020-12): an undocumented status, media type or body shape fails the test
// that produced it.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Express } from "express";
import request from "supertest";

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

export type ApiResponse = request.Response;

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** What a check reads of a response: supertest's and HttpContractClient's both have it. */
type Checked = { status: number; text: string; headers: Record<string, string | string[] | undefined> };

/** Checks responses against the OpenAPI document. */
class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { method: string; template: string; pattern: RegExp }[] = [];
  /** Operations ("GET /exams 200") seen by this client, for coverage checks. */
  readonly seen = new Set<string>();

  constructor(private readonly doc: Doc) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc, "openapi");
    for (const [template, item] of Object.entries(doc.paths))
      for (const method of Object.keys(item))
        this.templates.push({
          method,
          template,
          pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`),
        });
  }

  check(method: string, path: string, res: Checked): void {
    const op = this.templates.find((t) => t.method === method && t.pattern.test(path));
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the OpenAPI document`);
    const status = String(res.status);
    const responses = this.doc.paths[op.template]![method]!.responses;
    const spec = responses[status];
    if (!spec)
      throw new Error(
        `${method.toUpperCase()} ${op.template} answered ${status}, which the document does not list: ${res.text}`,
      );
    this.seen.add(`${method.toUpperCase()} ${op.template} ${status}`);
    if (!spec.content) {
      if (res.text && status !== "304") throw new Error(`${status} should have no body, got ${res.text}`);
      return;
    }
    const type = String(res.headers["content-type"] ?? "").split(";")[0]!;
    if (!spec.content[type])
      throw new Error(`${method.toUpperCase()} ${op.template} ${status}: media type ${type} is not documented`);
    const key = `${op.template} ${method} ${status} ${type}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({
        $ref: `openapi#/${pointer("paths", op.template, method, "responses", status, "content", type, "schema")}`,
      });
      this.compiled.set(key, validate);
    }
    const body: unknown = type.endsWith("json") ? JSON.parse(res.text) : res.text;
    if (!validate(body))
      throw new Error(
        `${method.toUpperCase()} ${op.template} ${status} does not match the document: ${this.ajv.errorsText(validate.errors)}\n${res.text.slice(0, 2000)}`,
      );
  }
}

type CallOptions = {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: { type: string; data: string | Buffer };
};

export class ContractClient extends OpenApiContract {
  constructor(
    private readonly app: Express,
    doc: Doc,
  ) {
    super(doc);
  }

  static async load(app: Express): Promise<ContractClient> {
    const res = await request(app).get("/api/v1/openapi.json");
    if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
    return new ContractClient(app, res.body as Doc);
  }

  /** Sends a request to /api/v1`path` and checks the response against the document. */
  async call(method: "get" | "post" | "put" | "delete", path: string, options: CallOptions = {}): Promise<ApiResponse> {
    let req = request(this.app)[method](`/api/v1${path}`);
    if (options.token) req = req.set("Authorization", `Bearer ${options.token}`);
    for (const [k, v] of Object.entries(options.headers ?? {})) req = req.set(k, v);
    if (options.raw) req = req.set("Content-Type", options.raw.type).send(options.raw.data);
    else if (options.body !== undefined) req = req.send(options.body as object);
    const res = await req;
    this.check(method, path.split("?")[0]!, res);
    return res;
  }
}

/** A response read over plain HTTP: headers by lower-case name, the body as text and parsed. */
export type HttpResponse = {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are read by each test as it expects them
  body: any;
};

/**
 * The same checks over plain HTTP (fetch) to a server listening at `baseUrl`, as any client
 * outside the process talks to it: exactly the headers and body given, nothing added.
 */
export class HttpContractClient extends OpenApiContract {
  constructor(
    private readonly baseUrl: string,
    doc: Doc,
  ) {
    super(doc);
  }

  static async load(baseUrl: string): Promise<HttpContractClient> {
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
    if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
    return new HttpContractClient(baseUrl, (await res.json()) as Doc);
  }

  async call(
    method: "get" | "post" | "put" | "delete",
    path: string,
    options: CallOptions = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.raw) {
      headers["content-type"] = options.raw.type;
      body = options.raw.data;
    } else if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method: method.toUpperCase(),
      headers,
      ...(body === undefined ? {} : { body: new Uint8Array(Buffer.from(body)) }),
    });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    const response: HttpResponse = {
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      text,
      body: /json/.test(type) && text ? JSON.parse(text) : text,
    };
    this.check(method, path.split("?")[0]!, response);
    return response;
  }
}
