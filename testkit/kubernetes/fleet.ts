// The `fleet` settings of a stack on the test cluster: the local geth image (testkit/kubernetes/images.ts), small
// claims, and pod sizes that fit six geth pods and a stack's other workloads on the 2-core test node.
export const TEST_GETH_IMAGE = "consortium-test/geth:1.13.15-k8s";

export function testClusterFleet(namespace: string): Record<string, unknown> {
  return {
    target: "kubernetes",
    namespace,
    images: { geth: TEST_GETH_IMAGE },
    storageSize: "1Gi",
    resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "1", memoryLimit: "1Gi" },
  };
}
