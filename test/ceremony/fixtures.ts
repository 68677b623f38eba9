// A three-authority Clique consortium for the ceremony tests.
export const CONFIG_YAML = `
consortium:
  name: acme-net
  chainId: 424242
  engine: clique
  blockPeriodSeconds: 1
  gasLimit: "30000000"
  forkLevel: london
  prefunded:
    - address: "0x00000000000000000000000000000000000000aa"
      balanceWei: "1000000000000000000000"
  authorities:
    - { name: alpha, member: org-a }
    - { name: beta, member: org-b }
    - { name: gamma, member: org-c }
  fleet:
    target: local
`;
