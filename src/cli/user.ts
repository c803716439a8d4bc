// npm run user -- create --email E --role admin|instructor|learner [--name N]   (password on stdin)
// npm run user -- role --email E --role R
import { systemClock } from "../clock";
import { limiterFactory } from "../db";
import { accountsService, emailSchema, roleName, signInThrottle } from "../modules/accounts";
import { parseArgs, readStdin, runCli, UsageError } from "./run";

const USAGE = `usage:
  npm run user -- create --email E --role admin|instructor|learner [--name "Display Name"] < password-file
  echo "a long passphrase" | npm run user -- create --email E --role instructor
  npm run user -- role --email E --role admin|instructor|learner`;

runCli(USAGE, async ({ db }) => {
  const { words, flags } = parseArgs(process.argv.slice(2));
  const email = emailSchema.safeParse(flags.get("email"));
  const role = roleName.safeParse(flags.get("role"));
  if (!email.success) throw new UsageError("--email must be an email address");
  if (!role.success) throw new UsageError("--role must be admin, instructor or learner");
  const accounts = accountsService({
    prisma: db.prisma,
    clock: systemClock,
    throttle: signInThrottle(limiterFactory(db.pool)),
  });
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
