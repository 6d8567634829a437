// /lsp: Daytona's language-server routes. Each (languageId, project directory) gets its own server
// process run as the sandbox user: typescript-language-server for TypeScript and JavaScript, pylsp for
// Python. The agent is the LSP client: it initializes the server with the project as its root, opens
// and closes documents from the sandbox's files, and passes symbols and completions on in Daytona's
// shapes (flat symbols with a location; a completion list).
#include "agent/Routes.h"
#include "agent/fs/AsUser.h"
#include "agent/lsp/LanguageServer.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace cove::agent {

using http::bhttp::verb;
using lsp::LanguageServer;
using nlohmann::json;

namespace {

// Servers running at once (each a process of its own, tsserver a few hundred MB).
constexpr std::size_t kMaxLanguageServers = 8;
// Documents one server holds open.
constexpr std::size_t kMaxOpenDocuments = 256;
// A document the agent reads for didOpen.
constexpr std::uintmax_t kMaxDocumentBytes = 8u << 20;
// For servers without workspace symbols (pylsp), the agent asks each source file of the project for
// its symbols: this many files at most, found among this many directory entries.
constexpr std::size_t kMaxScannedFiles = 200;
constexpr std::size_t kMaxScannedEntries = 20000;
// Symbols one workspace search returns.
constexpr std::size_t kMaxWorkspaceSymbols = 1000;

struct Language {
    const char* id;
    std::vector<std::string> argv;
    std::set<std::string> extensions; // what the agent's own workspace search reads
};

const std::vector<Language>& languages() {
    static const std::vector<Language> all{
        {"python", {"pylsp"}, {".py", ".pyi"}},
        {"typescript",
         {"typescript-language-server", "--stdio"},
         {".ts", ".tsx", ".mts", ".cts", ".js", ".jsx"}},
        {"javascript",
         {"typescript-language-server", "--stdio"},
         {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx"}},
    };
    return all;
}

const Language& languageOf(const std::string& id) {
    for (const auto& l : languages())
        if (id == l.id)
            return l;
    throw badRequest("Unsupported languageId '" + id +
                     "'. The toolbox runs language servers for python, typescript and javascript.");
}

// A path as a file URI: every byte but unreserved ones and '/' percent-encoded.
std::string fileUri(const std::string& path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string uri = "file://";
    for (unsigned char ch : path) {
        if (std::isalnum(ch) || ch == '/' || ch == '-' || ch == '.' || ch == '_' || ch == '~')
            uri += char(ch);
        else {
            uri += '%';
            uri += hex[ch >> 4];
            uri += hex[ch & 15];
        }
    }
    return uri;
}

// The languageId a document is opened with: typescript-language-server reads JSX and plain JavaScript
// by it, so a project's .tsx, .js and .jsx files get theirs whatever the project's language.
std::string documentLanguage(const std::string& projectLanguage, const std::string& path) {
    if (projectLanguage == "python")
        return projectLanguage;
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".tsx")
        return "typescriptreact";
    if (ext == ".jsx")
        return "javascriptreact";
    if (ext == ".js" || ext == ".mjs" || ext == ".cjs")
        return "javascript";
    if (ext == ".ts" || ext == ".mts" || ext == ".cts")
        return "typescript";
    return projectLanguage;
}

struct LspSession {
    std::shared_ptr<LanguageServer> server;
    const Language* language = nullptr;
    std::string root;
    std::set<std::string> open; // document URIs
};

struct Lsp {
    Toolbox& t;
    std::map<std::string, std::shared_ptr<LspSession>> sessions; // by languageId + '\n' + root

    static std::string keyOf(const std::string& languageId, const std::string& root) {
        return languageId + '\n' + root;
    }

    // The running server of a request's languageId and pathToProject.
    std::shared_ptr<LspSession> running(const std::string& languageId, const std::string& pathToProject) {
        languageOf(languageId);
        const std::string root = t.resolve(pathToProject);
        const auto it = sessions.find(keyOf(languageId, root));
        if (it == sessions.end())
            throw apiError(400,
                           "No " + languageId + " language server runs for " + root +
                               "; start one first (LspServer.start()).",
                           code::kLspNotInitialized);
        auto s = it->second;
        if (!s->server->alive()) {
            sessions.erase(it);
            throw apiError(503, "The " + s->server->name() + " " + s->server->failure() + "; start it again.",
                           code::kUnavailable);
        }
        if (!s->server->initialized)
            throw apiError(400, "The " + s->server->name() + " is still starting; try again in a moment.",
                           code::kLspNotInitialized);
        return s;
    }

    // A request's document: its path in the sandbox (relative ones from the work directory) and the
    // file URI the server knows it by.
    std::pair<std::string, std::string> document(const std::string& uri) const {
        std::string path = uri.rfind("file://", 0) == 0 ? percentDecode(uri.substr(7), false) : uri;
        if (path.empty())
            throw badRequest("'uri' names no file; give file:// and the file's path.");
        path = t.resolve(path);
        return {path, fileUri(path)};
    }
};

void checkProjectDirectory(const UserInfo& user, const std::string& root) {
    AsUser as(user);
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0)
        throw apiError(404,
                       "pathToProject " + root +
                           " does not exist in the sandbox; create the project there "
                           "first, or give an absolute path.",
                       code::kFileNotFound);
    if (!S_ISDIR(st.st_mode))
        throw apiError(400, "pathToProject " + root + " is not a directory.", code::kInvalidFilePath);
    if (::access(root.c_str(), R_OK | X_OK) != 0)
        throw apiError(403, "The sandbox user cannot read " + root + ".", code::kFileAccessDenied);
}

std::string readDocument(const UserInfo& user, const std::string& path) {
    AsUser as(user);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw apiError(404, "No file " + path + " in the sandbox to open.", code::kFileNotFound);
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxDocumentBytes)
        throw apiError(413,
                       path + " is larger than the " + std::to_string(kMaxDocumentBytes >> 20) +
                           " MiB a document opened in a language server may be.",
                       code::kBadRequest);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw apiError(403, "The sandbox user cannot read " + path + ".", code::kFileAccessDenied);
    std::string text(size, '\0');
    in.read(text.data(), std::streamsize(size));
    text.resize(std::size_t(in.gcount()));
    return text;
}

// Fields of what a server sent, read without trusting their types.
const json& field(const json& j, const char* name) {
    static const json none;
    if (!j.is_object())
        return none;
    const auto it = j.find(name);
    return it == j.end() ? none : *it;
}

std::int64_t wholeNumber(const json& j, const char* name) {
    const json& v = field(j, name);
    return v.is_number_integer() ? v.get<std::int64_t>() : 0;
}

json position(const json& p) {
    return {{"line", wholeNumber(p, "line")}, {"character", wholeNumber(p, "character")}};
}

json range(const json& r) {
    return {{"start", position(field(r, "start"))}, {"end", position(field(r, "end"))}};
}

// Daytona's LspSymbol {kind, location{uri, range}, name}, from SymbolInformation or (should a server
// send the hierarchical form anyway) DocumentSymbol, whose children are flattened after their parent.
void addSymbols(const json& items, const std::string& uri, json& out, std::size_t limit) {
    if (!items.is_array())
        return;
    for (const auto& s : items) {
        if (out.size() >= limit)
            return;
        if (!field(s, "name").is_string())
            continue;
        const json& l = field(s, "location");
        const json& symbolUri = field(l, "uri");
        json location{{"uri", symbolUri.is_string() ? symbolUri.get<std::string>() : uri},
                      {"range", range(l.is_object() ? field(l, "range") : field(s, "range"))}};
        out.push_back(
            {{"kind", wholeNumber(s, "kind")}, {"location", std::move(location)}, {"name", s["name"]}});
        addSymbols(field(s, "children"), uri, out, limit);
    }
}

// Daytona's CompletionList from either answer a server may give (a list or a bare array of items).
json completionList(const json& result) {
    json list{{"isIncomplete", false}, {"items", json::array()}};
    const json* items = &result;
    if (result.is_object()) {
        list["isIncomplete"] = field(result, "isIncomplete") == true;
        items = &field(result, "items");
    }
    if (!items->is_array())
        return list;
    for (const auto& i : *items) {
        if (!field(i, "label").is_string())
            continue;
        json item{{"label", field(i, "label")}};
        if (field(i, "kind").is_number_integer())
            item["kind"] = field(i, "kind");
        for (const char* f : {"detail", "sortText", "filterText", "insertText"})
            if (field(i, f).is_string())
                item[f] = field(i, f);
        if (!field(i, "documentation").is_null())
            item["documentation"] = field(i, "documentation");
        list["items"].push_back(std::move(item));
    }
    return list;
}

// The project's source files of a language, for servers with no workspace search of their own; hidden
// directories and dependency trees are skipped.
std::vector<std::string> sourceFiles(const UserInfo& user, const std::string& root, const Language& lang) {
    namespace fs = std::filesystem;
    AsUser as(user);
    std::vector<std::string> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    std::size_t seen = 0;
    for (; !ec && it != end && seen < kMaxScannedEntries && files.size() < kMaxScannedFiles;
         it.increment(ec)) {
        ++seen;
        const fs::path& p = it->path();
        const std::string name = p.filename().string();
        std::error_code typeEc;
        if (it->is_directory(typeEc)) {
            if (name.front() == '.' || name == "node_modules" || name == "__pycache__" || name == "venv" ||
                it.depth() > 16)
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(typeEc) && lang.extensions.count(p.extension().string()))
            files.push_back(p.string());
    }
    return files;
}

bool containsNoCase(const std::string& text, const std::string& query) {
    const auto lower = [](std::string s) {
        for (auto& ch : s)
            ch = char(std::tolower(static_cast<unsigned char>(ch)));
        return s;
    };
    return lower(text).find(lower(query)) != std::string::npos;
}

awaitable<json> workspaceSymbols(Lsp& lsp, std::shared_ptr<LspSession> s, std::string query) {
    json out = json::array();
    const json& provider = field(s->server->capabilities, "workspaceSymbolProvider");
    if (!provider.is_null() && provider != false) {
        auto asked = s->server->request("workspace/symbol", json{{"query", query}});
        const json result = co_await std::move(asked);
        addSymbols(result, "", out, kMaxWorkspaceSymbols);
        co_return out;
    }
    // The server has no workspace search: ask each source file for its symbols and keep the matches.
    const auto deadline = std::chrono::steady_clock::now() + lsp::kRequestTimeout;
    for (const std::string& path : sourceFiles(lsp.t.config.user, s->root, *s->language)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || out.size() >= kMaxWorkspaceSymbols)
            break;
        const std::string uri = fileUri(path);
        json result;
        try {
            auto asked = s->server->request("textDocument/documentSymbol",
                                            json{{"textDocument", {{"uri", uri}}}}, left);
            result = co_await std::move(asked);
        } catch (const ApiError& e) {
            if (e.status != 400) // a file the server refuses is skipped; a server gone or stuck is not
                throw;
        }
        json symbols = json::array();
        addSymbols(result, uri, symbols, kMaxWorkspaceSymbols);
        for (auto& sym : symbols)
            if (out.size() < kMaxWorkspaceSymbols && containsNoCase(sym["name"].get<std::string>(), query))
                out.push_back(std::move(sym));
    }
    co_return out;
}

json initializeParams(const std::string& root) {
    const std::string uri = fileUri(root);
    return {
        // No parent process id: servers poll it with kill(pid, 0), which the sandbox user may not send to
        // the agent (root), and typescript-language-server takes that EPERM for its parent's death.
        {"processId", nullptr},
        {"clientInfo", {{"name", "cove-agent"}}},
        {"rootUri", uri},
        {"rootPath", root},
        {"workspaceFolders",
         json::array({{{"uri", uri}, {"name", std::filesystem::path(root).filename().string()}}})},
        {"capabilities",
         {{"textDocument",
           {{"synchronization", {{"didSave", false}}},
            {"completion",
             {{"completionItem",
               {{"snippetSupport", false}, {"documentationFormat", json::array({"markdown", "plaintext"})}}},
              {"contextSupport", true}}},
            {"documentSymbol", {{"hierarchicalDocumentSymbolSupport", false}}}}},
          {"workspace", {{"symbol", json::object()}, {"configuration", true}, {"workspaceFolders", true}}}}},
    };
}

awaitable<http::Response> start(Lsp& lsp, Call c) {
    const json body = objectBody(c);
    const std::string languageId = requireString(body, "languageId");
    const Language& lang = languageOf(languageId);
    const std::string root = lsp.t.resolve(requireString(body, "pathToProject"));
    checkProjectDirectory(lsp.t.config.user, root);
    const std::string key = Lsp::keyOf(languageId, root);
    if (const auto it = lsp.sessions.find(key); it != lsp.sessions.end()) {
        if (it->second->server->alive()) {
            if (!it->second->server->initialized)
                throw apiError(409, "The " + it->second->server->name() + " is still starting.",
                               code::kConflict);
            co_return c.empty(200); // already running, as Daytona's daemon answers
        }
        lsp.sessions.erase(it);
    }
    std::erase_if(lsp.sessions, [](const auto& kv) { return !kv.second->server->alive(); });
    if (lsp.sessions.size() >= kMaxLanguageServers)
        throw apiError(503,
                       "The sandbox already runs " + std::to_string(kMaxLanguageServers) +
                           " language servers; stop one first.",
                       code::kUnavailable);
    auto s = std::make_shared<LspSession>();
    s->language = &lang;
    s->root = root;
    s->server = std::make_shared<LanguageServer>(
        lsp.t.io,
        LanguageServer::Options{languageId + " language server (" + lang.argv.front() + ") for " + root,
                                lang.argv, lsp.t.env.block(), root, lsp.t.config.user});
    s->server->spawn();
    lsp.sessions[key] = s;
    std::exception_ptr failed;
    try {
        auto asked = s->server->request("initialize", initializeParams(root), lsp::kInitializeTimeout);
        json result = co_await std::move(asked);
        s->server->capabilities = field(result, "capabilities");
        s->server->notify("initialized", json::object());
        s->server->initialized = true;
    } catch (...) {
        failed = std::current_exception();
    }
    if (failed) {
        if (const auto it = lsp.sessions.find(key); it != lsp.sessions.end() && it->second == s)
            lsp.sessions.erase(it);
        auto stopping = s->server->stop();
        co_await std::move(stopping);
        std::rethrow_exception(failed);
    }
    co_return c.empty(200);
}

awaitable<http::Response> stop(Lsp& lsp, Call c) {
    const json body = objectBody(c);
    const std::string languageId = requireString(body, "languageId");
    languageOf(languageId);
    const std::string root = lsp.t.resolve(requireString(body, "pathToProject"));
    const auto it = lsp.sessions.find(Lsp::keyOf(languageId, root));
    if (it == lsp.sessions.end())
        throw apiError(400, "No " + languageId + " language server runs for " + root + ".",
                       code::kLspNotInitialized);
    const auto s = it->second;
    lsp.sessions.erase(it);
    auto stopping = s->server->stop();
    co_await std::move(stopping);
    co_return c.empty(200);
}

} // namespace

void addLspRoutes(Routes& r, Toolbox& t) {
    static Lsp lsp{t, {}};
    r.add(verb::post, "/lsp/start", [](Call c) { return start(lsp, std::move(c)); });
    r.add(verb::post, "/lsp/stop", [](Call c) { return stop(lsp, std::move(c)); });

    r.addSync(verb::post, "/lsp/did-open", [](const Call& c) {
        const json body = objectBody(c);
        const auto s = lsp.running(requireString(body, "languageId"), requireString(body, "pathToProject"));
        const auto [path, uri] = lsp.document(requireString(body, "uri"));
        std::string text = readDocument(lsp.t.config.user, path);
        if (s->open.count(uri)) // opened again: the server gets the file as it is now
            s->server->notify("textDocument/didClose", json{{"textDocument", {{"uri", uri}}}});
        else if (s->open.size() >= kMaxOpenDocuments)
            throw apiError(503,
                           "The " + s->server->name() + " already has " + std::to_string(kMaxOpenDocuments) +
                               " documents open; close some first.",
                           code::kUnavailable);
        s->server->notify("textDocument/didOpen",
                          json{{"textDocument",
                                {{"uri", uri},
                                 {"languageId", documentLanguage(requireString(body, "languageId"), path)},
                                 {"version", 1},
                                 {"text", std::move(text)}}}});
        s->open.insert(uri);
        return c.empty(200);
    });
    r.addSync(verb::post, "/lsp/did-close", [](const Call& c) {
        const json body = objectBody(c);
        const auto s = lsp.running(requireString(body, "languageId"), requireString(body, "pathToProject"));
        const std::string uri = lsp.document(requireString(body, "uri")).second;
        if (s->open.erase(uri))
            s->server->notify("textDocument/didClose", json{{"textDocument", {{"uri", uri}}}});
        return c.empty(200);
    });
    r.add(verb::get, "/lsp/document-symbols", [](Call c) -> awaitable<http::Response> {
        const auto s = lsp.running(c.requireQuery("languageId"), c.requireQuery("pathToProject"));
        const std::string uri = lsp.document(c.requireQuery("uri")).second;
        auto asked =
            s->server->request("textDocument/documentSymbol", json{{"textDocument", {{"uri", uri}}}});
        const json result = co_await std::move(asked);
        json out = json::array();
        addSymbols(result, uri, out, kMaxWorkspaceSymbols);
        co_return c.json(200, out);
    });
    r.add(verb::get, "/lsp/workspacesymbols", [](Call c) -> awaitable<http::Response> {
        const std::string query = c.requireQuery("query");
        const auto s = lsp.running(c.requireQuery("languageId"), c.requireQuery("pathToProject"));
        auto found = workspaceSymbols(lsp, s, query);
        const json out = co_await std::move(found);
        co_return c.json(200, out);
    });
    r.add(verb::post, "/lsp/completions", [](Call c) -> awaitable<http::Response> {
        const json body = objectBody(c);
        const auto s = lsp.running(requireString(body, "languageId"), requireString(body, "pathToProject"));
        const std::string uri = lsp.document(requireString(body, "uri")).second;
        const json& p = field(body, "position");
        const json &line = field(p, "line"), &character = field(p, "character");
        if (!line.is_number_integer() || !character.is_number_integer() || line.get<std::int64_t>() < 0 ||
            character.get<std::int64_t>() < 0)
            throw apiError(400, "'position' must be {line, character}, both whole numbers from 0.",
                           code::kInvalidBody);
        json params{{"textDocument", {{"uri", uri}}}, {"position", position(p)}};
        if (field(body, "context").is_object())
            params["context"] = field(body, "context");
        auto asked = s->server->request("textDocument/completion", std::move(params));
        const json result = co_await std::move(asked);
        co_return c.json(200, completionList(result));
    });
}

} // namespace cove::agent
