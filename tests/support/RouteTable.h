// coved's whole route table, built as coved builds it, for tests that check the table itself: a store in
// a temporary folder and an engine that is never reached.
#pragma once

#include "service/api/EventChannel.h"
#include "service/api/Routes.h"
#include "service/domain/Keys.h"
#include "service/domain/RateLimiter.h"
#include "service/domain/SandboxService.h"
#include "service/engine/DockerClient.h"

#include <QTemporaryDir>

#include <memory>

namespace cove::test {

class RouteTable {
public:
    RouteTable() {
        db = store::open((dir.path() + QStringLiteral("/t.db")).toStdString());
        engine = std::make_unique<engine::DockerClient>(io.get_executor(), "unix:///nonexistent");
        sandboxes = std::make_unique<domain::SandboxService>(*db, *engine, clock, domain::ServiceConfig{});
        events = std::make_unique<api::EventChannel>([](const std::string&) { return std::nullopt; });
        keys = std::make_unique<domain::Keys>(*db);
        limiter = std::make_unique<domain::RateLimiter>(clock, domain::RateLimits{});
        api::addAllRoutes(router, *engine, *sandboxes, *events,
                          api::Governance{*db, *keys, sandboxes->auditLog(), *limiter, clock});
    }

private:
    QTemporaryDir dir;
    boost::asio::io_context io;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<engine::DockerClient> engine;
    std::unique_ptr<domain::SandboxService> sandboxes;
    std::unique_ptr<api::EventChannel> events;
    std::unique_ptr<domain::Keys> keys;
    std::unique_ptr<domain::RateLimiter> limiter;
    SystemClock clock;

public:
    api::Router router;
};

} // namespace cove::test
