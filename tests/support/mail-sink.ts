// A local SMTP server that keeps what it receives: the mail a test's app sends, on loopback.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type SinkMail = { to: string[]; raw: string };

export type MailSink = {
  url: string;
  mails: SinkMail[];
  /** The next mail to `to` (already received or still to come), within `ms`. */
  next(to: string, ms?: number): Promise<SinkMail>;
  close(): Promise<void>;
};

export async function startMailSink(): Promise<MailSink> {
  const mails: SinkMail[] = [];
  const seen = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async next(to, ms = 10_000) {
      const from = seen.get(to) ?? 0;
      const until = Date.now() + ms;
      for (;;) {
        const found = mails.filter((m) => m.to.includes(to));
        if (found.length > from) {
          seen.set(to, from + 1);
          return found[from]!;
        }
        if (Date.now() > until) throw new Error(`no mail to ${to} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The reset link in a mail (quoted-printable soft breaks undone). */
export function resetLinkIn(mail: SinkMail): string {
  const body = mail.raw.replace(/=\r?\n/g, "");
  const match = /(https?:\/\/\S+\/password-reset\/[A-Za-z0-9_-]+)/.exec(body);
  if (!match?.[1]) throw new Error("no reset link in the mail");
  return match[1];
}
