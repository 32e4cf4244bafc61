export declare const SERVER_SETTINGS: RegExp;
export declare function testEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined>;
