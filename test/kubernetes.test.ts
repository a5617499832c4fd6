// The Kubernetes manifests, checked without a cluster: every object against the Kubernetes schema
// (kubernetes-models), and what a schema cannot see: each app's environment is one its own
// configuration accepts, the probes are routes of the contract, the stateful Service pins clients
// and the stateless one does not, selectors find their pods, images are the ones Compose builds,
// pods stop within their grace period, and nothing runs as root.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { parse, parseAllDocuments } from "yaml";
import { loadConfig as statefulConfig } from "../apps/stateful/src/config";
import { createApp as statefulApp } from "../apps/stateful/src/app";
import { loadConfig as statelessConfig } from "../apps/stateless/src/config";

const root = join(__dirname, "..");
const dir = join(root, "deploy", "kubernetes");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are read as data, then checked
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; stringData?: any };

const files = readdirSync(dir).filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml");
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((doc) => doc.toJS() as Manifest),
);
const find = (kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found;
};
/** What kubernetes-models' schemas say of each manifest (asked once, in a process of its own: the package is ESM only). */
let schemaResults: { name: string; error: string | null }[] | undefined;
function schemaErrors() {
  if (!schemaResults) {
    const run = spawnSync(process.execPath, [join(__dirname, "support", "validate-manifests.mjs")], {
      input: JSON.stringify(manifests),
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`validate-manifests.mjs exited ${run.status}: ${run.stderr}`);
    schemaResults = JSON.parse(run.stdout) as { name: string; error: string | null }[];
  }
  return schemaResults;
}

const workloads = manifests.filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet");
const containerOf = (app: string) => find("Deployment", app).spec.template.spec.containers[0];

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

/** A container's environment as the kubelet would give it: secrets read, fields filled, $(VAR) expanded. */
function resolvedEnv(container: { env: EnvVar[] }, pod: string) {
  const env: Record<string, string> = {};
  for (const { name, value, valueFrom } of container.env) {
    if (valueFrom?.secretKeyRef) {
      const { name: secret, key } = valueFrom.secretKeyRef;
      env[name] = String(find("Secret", secret).stringData[key]);
    } else if (valueFrom?.fieldRef?.fieldPath === "metadata.name") env[name] = pod;
    else env[name] = String(value).replace(/\$\((\w+)\)/g, (_all, variable: string) => env[variable] ?? "");
  }
  return env;
}

describe("deploy/kubernetes", () => {
  it("lists every manifest in its kustomization", () => {
    const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
  });

  it.each(manifests.map((m) => `${m.kind} ${m.metadata.name}`))("%s is valid against the Kubernetes schema", (name) => {
    expect(schemaErrors().find((result) => result.name === name)).toEqual({ name, error: null });
  });

  it("gives each app an environment its own configuration accepts (secrets of 32+ characters, URLs, the bucket)", () => {
    const stateful = resolvedEnv(containerOf("stateful"), "stateful-5d8f7c9b4-x2k4q");
    const stateless = resolvedEnv(containerOf("stateless"), "stateless-7c9d5f6b8-q8w2z");
    expect(statefulConfig(stateful)).toMatchObject({
      instanceId: "stateful-5d8f7c9b4-x2k4q",
      avatarDir: "/var/avatars",
    });
    expect(statelessConfig(stateless)).toMatchObject({
      redisUrl: "redis://redis:6379",
      databaseUrl: expect.stringMatching(/^postgres:\/\/postgres:[^$@]+@postgres:5432\/cart$/),
      objectStore: expect.objectContaining({ endpoint: "http://s3:8333", bucket: "avatars" }),
    });
    // Secrets come from the Secret, never written into a Deployment.
    for (const app of ["stateful", "stateless"]) {
      for (const { name, value } of containerOf(app).env as { name: string; value?: string }[]) {
        if (/SECRET|PASSWORD/.test(name)) expect({ name, value }).toEqual({ name, value: undefined });
      }
    }
  });

  it("probes readiness on /readyz and liveness on /healthz, routes of the contract", async () => {
    const app = statefulApp(statefulConfig({ NODE_ENV: "test", INSTANCE_ID: "probe" }));
    for (const name of ["stateful", "stateless"]) {
      const container = containerOf(name);
      expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
      expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
      expect(container.ports).toEqual([{ name: "http", containerPort: 3000 }]);
    }
    await request(app).get("/readyz").expect(200);
    await request(app).get("/healthz").expect(200);
  });

  it("pins clients to a stateful pod (sessionAffinity: ClientIP), and lets any stateless pod serve anyone", () => {
    expect(find("Service", "stateful").spec.sessionAffinity).toBe("ClientIP");
    expect(find("Service", "stateless").spec.sessionAffinity ?? "None").toBe("None");
  });

  it("runs the images Compose builds from the Dockerfile, three replicas of each", async () => {
    const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<string, { image?: string }>;
    };
    for (const app of ["stateful", "stateless"]) {
      expect(containerOf(app).image).toBe(compose.services[`${app}-1`]!.image);
      expect(find("Deployment", app).spec.replicas).toBe(3);
    }
    // The stores at the exact versions Compose runs them at.
    for (const store of ["redis", "postgres", "s3"]) {
      expect(find("StatefulSet", store).spec.template.spec.containers[0].image).toBe(compose.services[store]!.image);
    }
  });

  it("finds every pod it names: selectors match their templates, Services and budgets match pods", () => {
    const labelsOf = (workload: Manifest) => workload.spec.template.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>) =>
      workloads.some((w) => Object.entries(selector).every(([key, value]) => labelsOf(w)[key] === value));
    for (const workload of workloads) {
      expect(labelsOf(workload)).toMatchObject(workload.spec.selector.matchLabels);
    }
    for (const service of manifests.filter((m) => m.kind === "Service"))
      expect(matches(service.spec.selector)).toBe(true);
    expect(matches(find("PodDisruptionBudget", "stateless").spec.selector.matchLabels)).toBe(true);
    expect(find("HorizontalPodAutoscaler", "stateless").spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "stateless",
    });
    expect(find("PodDisruptionBudget", "stateless").spec.minAvailable).toBeLessThan(3);
  });

  it("gives a pod time to leave: preStop, then the app's own drain (5 s at most), within the grace period", () => {
    for (const app of ["stateful", "stateless"]) {
      const pod = find("Deployment", app).spec.template.spec;
      const [, seconds] = containerOf(app).lifecycle.preStop.exec.command as [string, string];
      expect(Number(seconds)).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Number(seconds) + 5);
    }
  });

  it("runs nothing as root, lets nothing escalate, and bounds every container's memory", () => {
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      for (const container of pod.containers) {
        const name = `${workload.metadata.name}/${container.name}`;
        expect({ name, nonRoot: pod.securityContext?.runAsNonRoot ?? container.securityContext?.runAsNonRoot }).toEqual(
          {
            name,
            nonRoot: true,
          },
        );
        expect({ name, escalation: container.securityContext?.allowPrivilegeEscalation }).toEqual({
          name,
          escalation: false,
        });
        expect(container.resources.requests).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
      }
    }
  });
});
