// Stopping the HTTP server without dropping a request it has already received.
//
// Node's server.close() is not enough on its own: it stops listening at once, so connections
// still waiting in the kernel's accept queue are reset, and it closes "idle" connections,
// which include ones just accepted whose request has arrived but not been read yet. Here the
// listener stays open until a short window passes with no new connection (the queue is
// empty), every response from then on says `Connection: close`, and a connection is closed
// only after it has been idle for a whole window.
import type { Server, ServerResponse } from "node:http";
import net, { type Socket } from "node:net";

/** A window with nothing new: one event-loop turn through I/O after a short wait. */
const QUIET_MS = 50;
/** Under a steady stream of new connections, stop listening after this long anyway. */
const LISTEN_LIMIT_MS = 2_000;

type Connection = { inFlight: number; lastActive: number };

export type ConnectionDrain = {
  /** Resolves once the listener is closed and every connection has been answered and closed. */
  drain(options: { limitMs: number }): Promise<{ cut: number }>;
};

export function connectionDrain(server: Server): ConnectionDrain {
  const connections = new Map<Socket, Connection>();
  const responses = new Set<ServerResponse>();
  let draining = false;
  let accepted = 0;

  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };

  server.on("connection", (socket: Socket) => {
    accepted += 1;
    connections.set(socket, { inFlight: 0, lastActive: Date.now() });
    socket.once("close", () => connections.delete(socket));
  });
  // Before the app's own listener, so the header is there before any route can answer.
  server.prependListener("request", (req, res) => {
    const connection = connections.get(req.socket);
    if (connection) {
      connection.inFlight += 1;
      connection.lastActive = Date.now();
    }
    responses.add(res);
    if (draining) closeAfter(res);
    res.once("close", () => {
      responses.delete(res);
      if (connection) {
        connection.inFlight -= 1;
        connection.lastActive = Date.now();
      }
    });
  });

  const quietWindow = () => new Promise<void>((resolve) => setTimeout(() => setImmediate(resolve), QUIET_MS).unref());

  return {
    async drain({ limitMs }) {
      draining = true;
      for (const res of responses) closeAfter(res);
      const started = Date.now();
      let listening = server.listening;
      while (listening || connections.size > 0) {
        const windowStart = Date.now();
        const acceptedBefore = accepted;
        await quietWindow();
        if (listening && (accepted === acceptedBefore || Date.now() - started >= LISTEN_LIMIT_MS)) {
          listening = false;
          // The net.Server close: stops listening and leaves open connections alone (the
          // http.Server one would also close connections whose request is not read yet).
          net.Server.prototype.close.call(server);
        }
        for (const [socket, connection] of connections)
          if (connection.inFlight === 0 && connection.lastActive < windowStart) socket.destroy();
        if (Date.now() - started >= limitMs) break;
      }
      const cut = connections.size;
      for (const socket of connections.keys()) socket.destroy();
      server.close(); // clears http.Server's own timers; the listener is already closed
      return { cut };
    },
  };
}
