// Where uploaded parts go: each file part streams into a temporary file beside its destination and
// is renamed into place only when its part ended cleanly, so nothing half-written is ever reported
// (or left) as complete.
#pragma once

#include "agent/process/UserInfo.h"
#include "common/Multipart.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>

namespace cove::agent::fs {

class UploadSink {
public:
    // resolve: request path → absolute path. singlePath: the destination of a part named "file"
    // (the one-file /files/upload form); bulk uploads name theirs in files[i].path fields.
    UploadSink(UserInfo user, std::function<std::string(const std::string&)> resolve,
               std::string singlePath = {});
    ~UploadSink(); // removes the temporary file of an unfinished part

    MultipartParser::Callbacks callbacks();
    // {files: [{path, bytes}]}: the files written so far.
    nlohmann::json written() const { return {{"files", m_written}}; }
    const std::string& error() const { return m_error; }
    int errorStatus() const { return m_errorStatus; }

private:
    bool begin(const PartHeader& h);
    bool data(const char* p, std::size_t n);
    bool end();
    bool fail(int status, std::string why);
    void discard();

    UserInfo m_user;
    std::function<std::string(const std::string&)> m_resolve;
    std::string m_singlePath;
    std::map<std::string, std::string> m_paths; // "files[i]" → destination
    // The part being read.
    bool m_isFile = false;
    std::string m_field; // a plain field's name and value
    std::string m_value;
    std::string m_dest, m_temp;
    int m_fd = -1;
    unsigned long long m_bytes = 0;

    nlohmann::json m_written = nlohmann::json::array();
    std::string m_error;
    int m_errorStatus = 400;
};

} // namespace cove::agent::fs
