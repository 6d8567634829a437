// Which toolbox calls the audit log records, under Daytona's toolbox_* action names. Reads (listing,
// file info, logs) are not recorded; downloads are.
#include "service/api/Routes.h"

namespace cove::api {

std::optional<std::string> toolboxAuditAction(const RequestContext& c) {
    using V = http::bhttp::verb;
    const V m = c.req.method();
    std::string path = c.params.count("path") ? c.params.at("path") : std::string();
    if (path.rfind("toolbox/", 0) == 0) // the SDK's older form, /toolbox/{id}/toolbox/...
        path = path.substr(8);
    const auto is = [&](const char* prefix) { return path.rfind(prefix, 0) == 0; };
    const auto ends = [&](const char* suffix) {
        const std::string s(suffix);
        return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
    };
    // A recording is a file of the sandbox: its download and deletion are audited as a file's.
    if (is("computeruse/recordings/")) {
        if (m == V::get && ends("/download"))
            return "toolbox_download_file";
        if (m == V::delete_)
            return "toolbox_delete_file";
    }
    if (is("files")) {
        if (m == V::delete_)
            return "toolbox_delete_file";
        if (m == V::get && (is("files/download") || is("files/bulk-download")))
            return "toolbox_download_file";
        if (m == V::post && is("files/bulk-download"))
            return "toolbox_download_file";
        if (is("files/bulk-upload"))
            return "toolbox_bulk_upload_files";
        if (is("files/upload"))
            return "toolbox_upload_file";
        if (is("files/folder"))
            return "toolbox_create_folder";
        if (is("files/move"))
            return "toolbox_move_file";
        if (is("files/permissions"))
            return "toolbox_set_file_permissions";
        if (is("files/replace"))
            return "toolbox_replace_in_files";
        return std::nullopt;
    }
    // The interpreter's runs are a GET that becomes a WebSocket: running code, as code-run is.
    if (m == V::get && path == "process/interpreter/execute")
        return "toolbox_execute_command";
    if (m == V::get)
        return std::nullopt;
    if (is("process/execute") || is("process/code-run"))
        return "toolbox_execute_command";
    if (is("process/session")) {
        if (m == V::delete_)
            return "toolbox_delete_session";
        if (ends("/exec"))
            return "toolbox_session_execute_command";
        if (path == "process/session")
            return "toolbox_create_session";
        return std::nullopt;
    }
    if (is("git/")) {
        if (is("git/add"))
            return "toolbox_git_add_files";
        if (is("git/branches"))
            return m == V::delete_ ? "toolbox_git_delete_branch" : "toolbox_git_create_branch";
        if (is("git/clone"))
            return "toolbox_git_clone_repository";
        if (is("git/commit"))
            return "toolbox_git_commit_changes";
        if (is("git/pull"))
            return "toolbox_git_pull_changes";
        if (is("git/push"))
            return "toolbox_git_push_changes";
        if (is("git/checkout"))
            return "toolbox_git_checkout_branch";
        // Daytona's list has no names for the newer git calls; these follow its pattern, from the
        // toolbox client's operation names.
        if (is("git/config/user"))
            return "toolbox_git_configure_user";
        if (is("git/config"))
            return "toolbox_git_set_config";
        if (is("git/remotes"))
            return "toolbox_git_add_remote";
        if (is("git/reset"))
            return "toolbox_git_reset_changes";
        if (is("git/restore"))
            return "toolbox_git_restore_files";
        if (is("git/credentials"))
            return "toolbox_git_authenticate";
        return std::nullopt;
    }
    // Daytona records no LSP call; starting and stopping a language server (a process in the sandbox)
    // are recorded under Cove's own names, in Daytona's toolbox_ form. Opening a document reads.
    if (is("lsp/start"))
        return "toolbox_lsp_start";
    if (is("lsp/stop"))
        return "toolbox_lsp_stop";
    if (is("computeruse/start"))
        return "toolbox_computer_use_start";
    if (is("computeruse/stop"))
        return "toolbox_computer_use_stop";
    if (is("computeruse/process/") && ends("/restart"))
        return "toolbox_computer_use_restart_process";
    return std::nullopt;
}

} // namespace cove::api
