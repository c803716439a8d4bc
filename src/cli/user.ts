// npm run user -- create --email E --role admin|instructor|learner [--name N]   (password on stdin)
// npm run user -- role --email E --role R
// npm run user -- token --email E [--scope learner|instructor|admin] [--name N] [--days D]   (token on the last line)
// npm run user -- reset-link --email E      (prints a one-time password-reset link on its last line)
import { OPERATOR } from "../actor";
import { systemClock } from "../clock";
import { limiterFactory } from "../db";
import { accountsService, emailSchema, roleName, signInThrottle } from "../modules/accounts";
import { parseArgs, readStdin, runCli, UsageError } from "./run";

const USAGE = `usage:
  npm run user -- create --email E --role admin|instructor|learner [--name "Display Name"] < password-file
  echo "a long passphrase" | npm run user -- create --email E --role instructor
  npm run user -- role --email E --role admin|instructor|learner
  npm run user -- token --email E [--scope learner|instructor|admin] [--name "CI upload"] [--days 90]
  npm run user -- reset-link --email E`;

runCli(USAGE, async ({ db, config }) => {
  const { words, flags } = parseArgs(process.argv.slice(2));
  const email = emailSchema.safeParse(flags.get("email"));
  if (!email.success) throw new UsageError("--email must be an email address");
  const accounts = accountsService({
    prisma: db.prisma,
    clock: systemClock,
    throttle: signInThrottle(limiterFactory(db.pool)),
    links: { baseUrl: config.baseUrl },
  });
  if (words[0] === "token") {
    const scope = flags.has("scope") ? roleName.safeParse(flags.get("scope")) : undefined;
    if (scope && !scope.success) throw new UsageError("--scope must be admin, instructor or learner");
    const days = flags.has("days") ? Number(flags.get("days")) : undefined;
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650))
      throw new UsageError("--days must be a whole number from 1 to 3650");
    const name = flags.get("name");
    const created = await accounts.createTokenByEmail({
      email: email.data,
      name: typeof name === "string" ? name : "command line",
      ...(scope ? { scope: scope.data } : {}),
      ...(days ? { expiresInDays: days } : {}),
    });
    const expiry = created.expiresAt ? `expires ${created.expiresAt.toISOString().slice(0, 10)}` : "does not expire";
    console.log(`created a ${created.scope} token "${created.name}" for ${email.data} (${expiry}); it is shown once:`);
    console.log(created.token);
    return;
  }
  if (words[0] === "reset-link") {
    const link = await accounts.issueResetLink({ actor: OPERATOR, email: email.data });
    console.log(`a one-time reset link for ${link.email}, valid until ${link.expiresAt.toISOString()}:`);
    console.log(link.url);
    return;
  }
  const role = roleName.safeParse(flags.get("role"));
  if (!role.success) throw new UsageError("--role must be admin, instructor or learner");
  if (words[0] === "create") {
    // One line from stdin; the trailing newline of `echo` is not part of the password.
    const password = (await readStdin()).replace(/\r?\n$/, "");
    if (!password) throw new UsageError("give the password on standard input");
    const name = flags.get("name");
    const user = await accounts.createUser({
      email: email.data,
      displayName: typeof name === "string" ? name : email.data.split("@")[0]!,
      password,
      role: role.data,
    });
    console.log(`created ${user.role} ${user.email}`);
  } else if (words[0] === "role") {
    await accounts.setRoleByEmail({ email: email.data, role: role.data });
    console.log(`${email.data} is now ${role.data}; their sessions were ended`);
  } else throw new UsageError(`unknown command ${words[0] ?? "(none)"}`);
});
