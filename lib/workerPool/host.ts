// Where earlier versions' worker-host resources load their provider's implementation from (the module path is
// serialised in their state, see lib/project.ts): a refresh or destroy of such a state, before the next `up` moves
// it to the SSH-hosts target, finds the same functions here. New states load lib/sshHosts/setup.
export { applyHost, configChanges, hostDrift, readHost, removeHost } from "../sshHosts/setup";
