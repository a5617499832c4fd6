// Validates Kubernetes manifests against the schemas of kubernetes-models, which is ESM only (its
// exports have no `require` condition), so the Jest test runs it as a child process: manifests as
// JSON on stdin, one line of JSON out, each manifest's name and the error its schema found (or null).
const manifests = JSON.parse(await new Response(process.stdin).text());
const results = [];
for (const manifest of manifests) {
  const name = `${manifest.kind} ${manifest.metadata.name}`;
  try {
    const model = await import(`kubernetes-models/${manifest.apiVersion}/${manifest.kind}`);
    new model[manifest.kind](manifest).validate();
    results.push({ name, error: null });
  } catch (error) {
    results.push({ name, error: error.message });
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
