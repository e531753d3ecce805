/**
 * The defence every loopback listener shares against browsers: a Host allowlist (DNS rebinding) and cross-site
 * rejection (Origin / Sec-Fetch-Site), plus removal of the daemon's session cookie before user code.
 */
export { createListenerGuard, type GuardVerdict, type ListenerGuard, type ListenerGuardOptions } from './guard.js';
export { hostnameOf, isClusterLocalHostname, isLoopbackHostname } from './hosts.js';
export { crossSiteOrigin, isLoopbackOrigin, normalizeOrigin } from './origins.js';
export { cookieValue, DAEMON_SESSION_COOKIE, withoutDaemonCookie } from './daemon-cookie.js';
