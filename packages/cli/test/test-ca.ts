import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A server's key and certificate, PEM. */
export interface TlsIdentity {
  readonly key: Buffer;
  readonly cert: Buffer;
}

/** A certificate authority made for one test run, as an internal CA or a TLS-inspecting gateway has. */
export interface TestCa {
  /** The CA certificate's file, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  /** A certificate for `names` (host names or IP addresses) signed by this CA. */
  issue(names: readonly string[]): Promise<TlsIdentity>;
  close(): Promise<void>;
}

/** Makes a CA with `openssl` (EC keys: fast), named `commonName`, valid for two days. */
export async function makeTestCa(commonName: string): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), "datafold-ci-ca-"));
  const [caKey, caFile] = [join(dir, "ca.key"), join(dir, "ca.pem")];
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", [
    ...[
      "req",
      "-x509",
      ...ecKey,
      "-days",
      "2",
      "-keyout",
      caKey,
      "-out",
      caFile,
      "-subj",
      `/CN=${commonName}`,
    ],
    ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  ]);
  let issued = 0;
  return {
    caFile,
    async issue(names) {
      const base = join(dir, `leaf-${++issued}`);
      const san = names.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(",");
      await writeFile(
        `${base}.ext`,
        `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
      );
      await run("openssl", [
        ...["req", ...ecKey, "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${names[0]}`],
      ]);
      await run("openssl", [
        ...["x509", "-req", "-in", `${base}.csr`, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial"],
        ...["-days", "2", "-out", `${base}.pem`, "-extfile", `${base}.ext`],
      ]);
      return { key: await readFile(`${base}.key`), cert: await readFile(`${base}.pem`) };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
