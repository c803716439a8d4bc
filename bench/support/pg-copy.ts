// COPY FROM STDIN and COPY TO STDOUT over a plain `pg` client, without pg-copy-streams.
// `client.query()` accepts any object with submit(); the client then hands it the protocol
// messages of that query (copyInResponse, copyData, commandComplete, error, readyForQuery).
// This is the part of pg-copy-streams the benchmark needs, and nothing more.
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { ClientBase } from "pg";

type Connection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: Writable & { pause(): void; resume(): void };
};

/** A query object that pg's client drives through the COPY sub-protocol. */
abstract class CopyQuery {
  callback: ((error: Error | null) => void) | undefined;
  rowCount = 0;
  failure: Error | undefined;

  constructor(readonly text: string) {}

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCommandComplete(message: { text: string }): void {
    const count = /^COPY (\d+)/.exec(message.text);
    if (count) this.rowCount = Number(count[1]);
  }

  handleError(error: Error): void {
    this.failure = error;
    // After an ErrorResponse the client has already dropped this query, so readyForQuery
    // will not reach it: report now.
    this.callback?.(error);
    this.callback = undefined;
  }

  handleReadyForQuery(_connection?: Connection): void {
    this.callback?.(this.failure ?? null);
    this.callback = undefined;
  }

  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail("this query does not send data");
  }

  handleCopyData(_message: { chunk: Buffer }, _connection?: Connection): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

class CopyFrom extends CopyQuery {
  constructor(
    text: string,
    private readonly source: AsyncIterable<Buffer | string>,
  ) {
    super(text);
  }

  override handleCopyInResponse(connection: Connection): void {
    void (async () => {
      try {
        for await (const chunk of this.source) {
          if (this.failure) return; // the server has given up on this COPY
          connection.sendCopyFromChunk(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
          if (connection.stream.writableNeedDrain) await once(connection.stream, "drain");
        }
        connection.endCopyFrom();
      } catch (error) {
        connection.sendCopyFail(`source failed: ${(error as Error).message}`);
      }
    })();
  }
}

class CopyTo extends CopyQuery {
  private paused = false;

  constructor(
    text: string,
    private readonly sink: Writable,
  ) {
    super(text);
  }

  override handleCopyData(message: { chunk: Buffer }, connection?: Connection): void {
    // The chunk is a view into the parser's buffer, which is reused: copy it.
    if (this.sink.write(Buffer.from(message.chunk)) || this.paused || !connection) return;
    // Back-pressure: stop reading the socket until the sink has room.
    this.paused = true;
    connection.stream.pause();
    this.sink.once("drain", () => this.resume(connection));
  }

  override handleReadyForQuery(connection?: Connection): void {
    // The caller may end the sink now, and an ending stream emits no "drain".
    if (connection) this.resume(connection);
    super.handleReadyForQuery();
  }

  private resume(connection: Connection): void {
    if (!this.paused) return;
    this.paused = false;
    connection.stream.resume();
  }
}

function run(client: ClientBase, query: CopyQuery): Promise<number> {
  return new Promise((resolve, reject) => {
    query.callback = (error) => (error ? reject(error) : resolve(query.rowCount));
    void client.query(query as never);
  });
}

/** `COPY ... FROM STDIN` (text format) fed from `source`; returns the number of rows. */
export function copyFrom(client: ClientBase, sql: string, source: AsyncIterable<Buffer | string>): Promise<number> {
  return run(client, new CopyFrom(sql, source));
}

/** `COPY ... TO STDOUT` written into `sink` (not ended); returns the number of rows. */
export function copyTo(client: ClientBase, sql: string, sink: Writable): Promise<number> {
  return run(client, new CopyTo(sql, sink));
}

/** Splits one line of COPY text format into values (null for \N). */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split("\t").map((field) =>
    field === "\\N"
      ? null
      : field.replace(/\\(.)/g, (_, c: string) => {
          switch (c) {
            case "n":
              return "\n";
            case "r":
              return "\r";
            case "t":
              return "\t";
            case "b":
              return "\b";
            case "f":
              return "\f";
            case "v":
              return "\v";
            default:
              return c;
          }
        }),
  );
}
