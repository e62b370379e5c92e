/**
 * What every load-generating pod we write asks of its node, and the security context it runs
 * with. One place, so the k6 runners and the harness's own pods are sized alike.
 */

/**
 * Requests one core and 512 MiB, limits memory to 1 GiB, and sets no CPU limit: a load
 * generator that is CPU-throttled starts its iterations late, and that lateness would show up
 * as the target's latency (the harness measures from the intended start). One core is what one
 * Node process (or k6's default runner, for these loads) uses; give the pods more with the
 * Job's or TestRun's `resources` if their `schedule_lateness` says so.
 *
 * @example
 * container.resources = LOAD_POD_RESOURCES;
 */
export const LOAD_POD_RESOURCES = {
  requests: { cpu: '1', memory: '512Mi' },
  limits: { memory: '1Gi' },
} as const;

/** The uid and gid the harness's pods run as (the `node` user of the official Node images). */
export const HARNESS_UID = 1000;

/**
 * The pod-level security context of the harness's pods: not root, the runtime's default
 * seccomp profile, and the results volume writable by the pod's group (`fsGroup`).
 *
 * @example
 * podSpec.securityContext = HARNESS_POD_SECURITY;
 */
export const HARNESS_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: HARNESS_UID,
  runAsGroup: HARNESS_UID,
  fsGroup: HARNESS_UID,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/**
 * The container-level security context: no privilege escalation, no capabilities. With
 * {@link HARNESS_POD_SECURITY} it meets the Pod Security Standards' "restricted" profile.
 *
 * @example
 * container.securityContext = HARNESS_CONTAINER_SECURITY;
 */
export const HARNESS_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
} as const;
