// Loads the configuration for commands that need it; a wrong value is one clear line and exit 2.
import { ConfigError, loadConfig, type Config } from '../config.ts';

export function configOrExit(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kca: configuration error: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}
