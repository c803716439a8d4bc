// Outgoing mail over SMTP (SMTP_URL), through nodemailer. Without SMTP_URL there is no mailer
// and the features that mail (password-reset requests) say so instead. Sending never blocks
// the request that asked: a slow or failing server would otherwise tell a caller whether an
// account exists; failures are logged.
import nodemailer from "nodemailer";
import type { Logger } from "pino";

export type Mail = { to: string; subject: string; text: string };

export type Mailer = {
  /** Queues the mail and returns at once; a failure is logged, not thrown. */
  send(mail: Mail): void;
  /** Resolves when every mail handed to send() so far has been sent or has failed. */
  idle(): Promise<void>;
  close(): void;
};

export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
}): Mailer | undefined {
  if (!options.smtpUrl) return undefined;
  const transport = nodemailer.createTransport(options.smtpUrl);
  const pending = new Set<Promise<void>>();
  return {
    send(mail) {
      const sending = transport
        .sendMail({ from: options.from, ...mail })
        .then(
          () => undefined,
          (error: unknown) => {
            options.logger.error({ err: error, subject: mail.subject }, "sending a mail failed");
          },
        )
        .finally(() => pending.delete(sending));
      pending.add(sending);
    },
    idle: async () => {
      await Promise.all([...pending]);
    },
    close: () => transport.close(),
  };
}
