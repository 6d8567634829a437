// What a test of SandboxService needs around it: an io_context to run it on, a clock the test moves, the
// store of a data folder with the caller's organization, and the caller.
#pragma once

#include "common/ApiError.h"
#include "common/Time.h"
#include "service/domain/DomainError.h"
#include "service/domain/SandboxService.h"
#include "service/store/Store.h"
#include "support/TestDatabase.h"

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace cove::test {

struct ServiceHarness {
    boost::asio::io_context io;
    ManualClock clock;
    std::unique_ptr<test::TestDatabase> where;
    std::unique_ptr<store::Database> db;
    domain::Caller caller{{"key", "test", "personal", {"*"}}, "127.0.0.1", {}};

    // A new store in `dataDir` (made, with its sandboxes folder), holding the caller's organization.
    void openStore(const std::string& dataDir) {
        std::filesystem::create_directories(dataDir + "/sandboxes");
        where =
            std::make_unique<test::TestDatabase>(QString::fromStdString(dataDir), QStringLiteral("cove.db"));
        db = store::open(where->spec());
        db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('personal', 'Personal', 0)");
    }

    // The state the caller sees, "gone" once the sandbox no longer shows, or why it cannot be read.
    std::string stateOf(domain::SandboxService& service, const std::string& id) {
        try {
            return service.get(id, caller)["state"].get<std::string>();
        } catch (const cove::domain::DomainError& e) {
            return e.status() == 404 ? "gone" : e.message;
        }
    }
};

} // namespace cove::test
