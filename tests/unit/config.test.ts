import { ConfigError, loadConfig } from "../../src/config";

describe("loadConfig", () => {
  it("fills development defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.env).toBe("development");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.baseUrl).toBe("http://localhost:3000");
    expect(config.secureCookies).toBe(false);
  });

  it("names the variable when a value is bad", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("requires SESSION_SECRET in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET: required in production/);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) }).env).toBe("production");
  });

  it("turns on secure cookies for an https base URL", () => {
    expect(loadConfig({ BASE_URL: "https://prep.example.org" }).secureCookies).toBe(true);
    expect(loadConfig({ BASE_URL: "https://prep.example.org", SECURE_COOKIES: "false" }).secureCookies).toBe(false);
  });
});
