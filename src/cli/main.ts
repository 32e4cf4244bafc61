// Entry point of the `kca` command. Each subcommand lives in its own module and is loaded
// only when asked for, so `kca hash` does not start a database.
type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { summary: 'run the server (API, web client, sandbox, in-process worker)', load: () => import('./serve.ts') },
  worker: { summary: 'run a background worker only', load: () => import('./worker.ts') },
  sandbox: { summary: 'run the Kontur sandbox alone on SANDBOX_PORT (default 9090)', load: () => import('./sandbox.ts') },
  migrate: { summary: 'apply database migrations and exit', load: () => import('./migrate.ts') },
  user: { summary: 'manage users: kca user create NAME --role ROLE [--password P]', load: () => import('./user.ts') },
  hash: { summary: 'GOST R 34.11-2012 (Streebog) digest of a file: kca hash [--alg streebog256|streebog512] FILE|-', load: () => import('./hash.ts') },
  cms: { summary: 'CMS signatures: kca cms sign|verify ...', load: () => import('./cms.ts') },
  cert: { summary: 'certificates: kca cert show FILE', load: () => import('./cert.ts') },
  'check-connection': { summary: 'check the connection to each Kontur API with the stored settings (DNS, TCP, TLS, key, answer) [--api kcr|cloud] [--json]', load: () => import('./check-connection.ts') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`);
  return `Usage: kca <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`kca: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}
