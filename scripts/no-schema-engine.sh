#!/bin/sh
echo "Prisma's native schema engine is not used here: run 'npm run db:migration -- <name>' to create a migration; migrations are applied by 'npm start' and the tests." >&2
exit 1
