import { deviceCookie } from "../../../src/modules/accounts/device-cookie";
import { accountKey, addressBlockSeconds, inMinutes } from "../../../src/modules/accounts/throttle";

describe("address blocks", () => {
  it("double from one minute and stop at fifteen", () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(addressBlockSeconds)).toEqual([60, 120, 240, 480, 900, 900, 900]);
  });
});

describe("account keys", () => {
  it("are fixed-length digests that do not contain the email", () => {
    const key = accountKey("ada@example.test");
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(key).toBe(accountKey("ada@example.test"));
    expect(key).not.toBe(accountKey("bob@example.test"));
  });
});

describe("waits in words", () => {
  it("round up to whole minutes", () => {
    expect([1, 60, 61, 900].map(inMinutes)).toEqual(["1 minute", "1 minute", "2 minutes", "15 minutes"]);
  });
});

describe("device cookie", () => {
  const cookies = deviceCookie({ secret: "s".repeat(48), secure: true });
  const header = (value: string) => `other=1; ${cookies.name}=${encodeURIComponent(value)}`;

  it("vouches for the account it was issued for, and only that one", () => {
    const issued = cookies.issue("ada@example.test");
    expect(issued.name).toBe("__Host-stackprep-device");
    expect(issued.options).toMatchObject({ httpOnly: true, secure: true, path: "/", sameSite: "lax" });
    const device = cookies.deviceFor(header(issued.value), "ada@example.test");
    expect(device).toMatch(/^[\w-]{22}$/);
    expect(cookies.deviceFor(header(issued.value), "bob@example.test")).toBeUndefined();
    expect(cookies.issue("ada@example.test").value).not.toBe(issued.value);
  });

  it("ignores a forged, unsigned or missing cookie", () => {
    const issued = cookies.issue("ada@example.test");
    const [payload] = issued.value.split(/\.(?=[^.]*$)/);
    expect(cookies.deviceFor(header(`${payload}.forged`), "ada@example.test")).toBeUndefined();
    expect(cookies.deviceFor(header(payload!), "ada@example.test")).toBeUndefined();
    expect(cookies.deviceFor(undefined, "ada@example.test")).toBeUndefined();
    const other = deviceCookie({ secret: "t".repeat(48), secure: true });
    expect(other.deviceFor(header(issued.value), "ada@example.test")).toBeUndefined();
  });
});
