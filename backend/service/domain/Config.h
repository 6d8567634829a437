// The service's settings, decided once at start-up from the command line and environment.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cove::domain {

struct ServiceConfig {
    std::string listenHost = "127.0.0.1";
    unsigned short listenPort = 3986;
    std::string dataDir;
    std::string dockerHost = "unix:///var/run/docker.sock";
    std::string agentSource; // the cove-agent binary coved installs into <data>/bin
    std::string agentBinary; // <data>/bin/cove-agent, bind-mounted read-only into sandboxes
    std::string defaultSnapshot = "cove-base";
    // The default snapshots' images are <name>:<defaultImageTag>; built by <imagesDir>/build-images.sh
    // when missing (no build when imagesDir is empty).
    std::string defaultImageTag = "latest";
    std::string imagesDir;
    // Started, unassigned sandboxes of the default snapshot kept ready, so a default create answers
    // without waiting for Docker. 0 turns the pool off.
    int warmPool = 2;
    // The upstream resolvers the sandboxes' resolver asks ("IP" or "IP:PORT"; empty: the host's), and
    // CIDRs of an internal network names may resolve to (otherwise refused as DNS rebinding).
    std::vector<std::string> egressDns, egressInternal;

    // What clients put in front of /api and /toolbox.
    std::string baseUrl() const { return "http://" + listenHost + ":" + std::to_string(listenPort); }
    std::string sandboxRunDir(const std::string& id) const { return dataDir + "/sandboxes/" + id + "/run"; }
};

// How the service paces its own work.
struct ServiceDefaults {
    // Docker is asked for every container's state this often; a container that stopped under a
    // started sandbox is restarted within about this long.
    static constexpr std::chrono::seconds kReconcileInterval{10};
    static constexpr int kMaxWarmPool = 64;
    // Usage samples (one a minute) are kept this long.
    static constexpr std::int64_t kUsageRetentionMs = 30LL * 24 * 3600 * 1000;
};

// The history of each sandbox's CPU, memory, disk and network that /api/sandbox/{id}/telemetry/metrics
// answers from: in coved's memory (lost when it restarts), one sample per started sandbox at most this
// often (the background round looks every ServiceDefaults::kReconcileInterval; a read with no sample
// this recent takes one), kept for kRetentionMs: at most kMaxSamples of 80 bytes, about 230 KB a sandbox.
struct MetricsLimits {
    static constexpr std::int64_t kSampleEveryMs = 30'000;
    static constexpr std::int64_t kRetentionMs = 24LL * 3600 * 1000;
    static constexpr std::size_t kMaxSamples = std::size_t(kRetentionMs / kSampleEveryMs);
    // A sample asks the sandbox's agent; one that has not answered by then is skipped.
    static constexpr std::chrono::seconds kAgentTimeout{5};
    // The agent's answer is the sandbox's to shape: no more than this is read.
    static constexpr std::size_t kMaxAgentReplyBytes = 64 * 1024;
    // Log lines one page of /telemetry/logs holds by default and at most.
    static constexpr int kDefaultLogPage = 100;
    static constexpr int kMaxLogPage = 1000;
    // Lines read from the engine for one query, the newest ones.
    static constexpr int kMaxLogLines = 10'000;
};

// Warm pools an organization asks for (/api/warm-pools). Their members count against the organization's
// quota: a pool holds only as many as fit beside what its sandboxes use.
struct WarmPoolLimits {
    static constexpr int kMaxSize = 32;                 // members of one pool
    static constexpr int kMaxPoolsPerOrganization = 10; // pools of one organization
    static constexpr int kMaxSnapshotBytes = 256;       // the snapshot's name or id as sent
    static constexpr int kMaxTargetBytes = 64;
    static constexpr const char* kDefaultTarget = "local"; // the region every Cove sandbox is in
};

// Linked sandboxes: a link network is a /28 (net::NetworkPlan::kLinkPrefix) holding its gateway, the
// owner and at most this many followers.
struct LinkLimits {
    static constexpr int kMaxFollowers = 13;
};

// Resource defaults and bounds for one sandbox, as Daytona documents them (1 vCPU, 1 GiB, 3 GiB).
struct SandboxDefaults {
    static constexpr int kCpu = 1;
    static constexpr int kMemoryGiB = 1;
    static constexpr int kDiskGiB = 3;
    static constexpr int kAutoStopMinutes = 15;
    static constexpr int kAutoArchiveMinutes = 7 * 24 * 60;
    static constexpr int kAutoDeleteMinutes = -1; // off
    static constexpr int kPidsLimit = 4096;
    static constexpr int kMaxNameLength = 63;
    static constexpr int kAgentStartSeconds = 30;
    // How long a toolbox request waits for an agent whose socket's queue is full before answering 504.
    static constexpr std::chrono::milliseconds kAgentConnectTimeout{5000};
};

// How long coved waits for a client and how many it serves at once, so slow, idle or numerous
// connections cannot hold its one io thread, its memory or its file descriptors.
struct ConnectionLimits {
    // A request's header must arrive whole this long after the connection opened (or after its first
    // byte, on a kept-alive connection); a kept-alive connection may wait this long for its next request.
    static constexpr std::chrono::seconds kHeaderTimeout{10};
    static constexpr std::chrono::seconds kIdleTimeout{60};
    // A request body is read whole (at most HttpServer::kMaxBodyBytes), or an answer written, in this long.
    static constexpr std::chrono::seconds kBodyTimeout{60};
    // Tunnels (toolbox, preview) end when no byte moved either way for this long: an HTTP exchange
    // (a download, a log being followed), or a WebSocket (a terminal left open; pings count).
    static constexpr std::chrono::minutes kTunnelIdleTimeout{15};
    static constexpr std::chrono::minutes kWebSocketIdleTimeout{60};
    // Open connections at most. At the limit the one that waited longest for a request is closed for
    // the newcomer; when every one is busy, the newcomer gets 503.
    static constexpr std::size_t kMaxConnections = 1024;
    // Out of file descriptors, accepting pauses this long at first, doubling up to the most.
    static constexpr std::chrono::milliseconds kAcceptBackoff{10};
    static constexpr std::chrono::milliseconds kMaxAcceptBackoff{1000};
    // An address refused too often (RateLimits::authFailures) waits this long for each further refusal;
    // a valid credential is never braked.
    static constexpr std::chrono::seconds kAuthBrakeDelay{1};
    // Event channel sessions that have not authenticated yet: at most this many (a newcomer closes the
    // oldest), each closed unless it authenticates within kEventAuthDeadline.
    static constexpr std::size_t kMaxPendingEventSessions = 64;
    static constexpr std::chrono::seconds kEventAuthDeadline{10};
    // Events waiting for a client that reads slowly: beyond this many bytes it is dropped (with a close
    // reason if it reads again; its connection ends within kEventCloseGrace).
    static constexpr std::size_t kMaxEventOutboxBytes = 8u << 20;
    static constexpr std::chrono::seconds kEventCloseGrace{5};
};

// SSH access (Daytona's `ssh <token>@host`): the token limits and the gateway's bounds.
struct SshLimits {
    // A token lasts this long unless asked otherwise, and never longer than the most.
    static constexpr int kDefaultExpiryMinutes = 60;
    static constexpr int kMaxExpiryMinutes = 24 * 60;
    // The gateway's default address (loopback only; --ssh-listen changes it, "off" turns it off).
    static constexpr const char* kDefaultListen = "127.0.0.1:2222";
    // SSH connections served at once; a newcomer past this is closed at once.
    static constexpr std::size_t kMaxConnections = 64;
    // A client must finish the key exchange and authenticate within this long, in at most this many tries.
    static constexpr std::chrono::seconds kAuthDeadline{20};
    static constexpr int kMaxAuthAttempts = 6;
    // Channels (shells, commands, forwarded ports) open at once on one connection.
    static constexpr std::size_t kMaxChannels = 16;
    // A connection with no byte moving either way for this long is closed.
    static constexpr std::chrono::minutes kIdleTimeout{60};
};

// Bounds on what a request may ask coved to store, so no field can make a row that breaks listing or
// costs more than it should to read back.
struct FieldLimits {
    static constexpr std::size_t kMaxMapEntries = 256; // env, labels
    static constexpr std::size_t kMaxMapKeyBytes = 256;
    static constexpr std::size_t kMaxMapValueBytes = 32 << 10;
    static constexpr std::size_t kMaxMapBytes = 256 << 10; // all keys and values of one map
    static constexpr std::size_t kMaxReferenceBytes = 256; // a snapshot's name or id, a user, a target
    static constexpr std::size_t kMaxListBytes = 8 << 10;  // networkAllowList, domainAllowList
    static constexpr std::size_t kMaxArrayItems = 64;      // volumes
};

// An organization's private registries (domain/Registries.h).
struct RegistryLimits {
    static constexpr std::size_t kMaxPerOrganization = 64;
    static constexpr std::size_t kMaxNameBytes = 255;
    static constexpr std::size_t kMaxUrlBytes = 253 + 6 + 8; // a DNS name, ":port", "https://"
    static constexpr std::size_t kMaxUsernameBytes = 255;
    static constexpr std::size_t kMaxPasswordBytes = 4096; // registry tokens can be long JWTs
    static constexpr std::size_t kMaxProjectBytes = 255;
    // registry-push-access answers the default registry's own credentials, which do not expire; the
    // CLI is told to ask again after this long all the same.
    static constexpr std::chrono::hours kPushAccessValidity{1};
};

// An organization's secrets (domain/Secrets.h) and their mounts in sandboxes.
struct SecretLimits {
    static constexpr std::size_t kMaxPerOrganization = 200;
    static constexpr std::size_t kMaxNameBytes = 256;       // Daytona's bound
    static constexpr std::size_t kMaxValueBytes = 64 << 10; // Daytona's bound
    static constexpr std::size_t kMaxDescriptionBytes = 1024;
    static constexpr std::size_t kMaxHosts = 32;      // per secret
    static constexpr std::size_t kMaxHostBytes = 253; // a DNS name
    static constexpr std::size_t kMaxMountsPerSandbox = 64;
    static constexpr std::size_t kMaxEnvNameBytes = 256;
    // GET /api/secret/paginated: Daytona's page sizes.
    static constexpr int kDefaultPage = 100;
    static constexpr int kMaxPage = 200;
};

// What the secrets interceptor (SecretInterceptor.h) holds of a request it rewrites.
struct InterceptLimits {
    static constexpr std::size_t kMaxHeadBytes = 64 << 10; // request line and headers; larger: refused
    static constexpr std::size_t kMaxChunkLineBytes = 1024;
    // A body up to this is read whole, its placeholders replaced and its length fixed; a larger one goes
    // on unchanged as it streams (its headers are still rewritten).
    static constexpr std::size_t kMaxBufferedBodyBytes = 1 << 20;
    static constexpr std::size_t kMaxLeafCertificates = 256; // minted host certificates kept
};

} // namespace cove::domain
