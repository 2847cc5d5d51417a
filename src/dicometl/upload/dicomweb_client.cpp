#include "dicometl/upload/dicomweb_client.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "dicometl/model/path_text.hpp"
#include "dicometl/upload/stow_message.hpp"

namespace dicometl::upload {

namespace {

//! The whole file, or an error message.
bool read_file(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot read the file: ") + std::strerror(errno);
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "cannot read the file: I/O error";
    return false;
  }
  return true;
}

}  // namespace

bool retryable_status(const HttpAnswer& a) {
  return !a.answered() || a.status == 408 || a.status == 429 || a.status >= 500;
}

std::string describe(const HttpAnswer& a) {
  if (!a.answered()) return a.error;
  std::string line;
  for (char c : a.body.substr(0, 200)) line.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  return "HTTP " + std::to_string(a.status) + (line.empty() ? "" : ": " + line);
}

std::string instance_url(const std::string& base, const UploadItem& item) {
  return series_url(base, item.study_uid, item.series_uid) + "/instances/" + item.sop_instance_uid;
}

std::string series_url(const std::string& base, const std::string& study, const std::string& series) {
  return base + "/studies/" + study + "/series/" + series;
}

DicomWebClient::DicomWebClient(std::string base, http::Credentials credentials,
                               const std::string& orthanc, int timeout_seconds)
    : base_(std::move(base)),
      credentials_(std::move(credentials)),
      timeout_seconds_(timeout_seconds) {
  auto split = http::split_userinfo(orthanc);
  orthanc_ = std::move(split.url);
  orthanc_credentials_ = std::move(split.credentials);
  while (!orthanc_.empty() && orthanc_.back() == '/') orthanc_.pop_back();
}

HttpAnswer DicomWebClient::request(const std::string& url, const http::Credentials& credentials,
                                   const std::string* post_body,
                                   const std::vector<std::string>& headers) {
  http::Request q;
  q.method = post_body ? "POST" : "GET";
  q.url = url;
  q.headers = headers;
  q.body = post_body;
  q.credentials = credentials;
  q.netrc = true;  // credentials from ~/.netrc when the URL has none
  q.timeout_seconds = timeout_seconds_;
  return http::send(q);  // QIDO answers can be long: up to Request::max_body
}

bool DicomWebClient::existing(const std::string& study, const std::string& series,
                              std::unordered_set<std::string>& uids, std::string& error,
                              bool& unreachable) {
  const std::string url = series_url(base_, study, series) + "/instances?includefield=00080018";
  HttpAnswer a = request(url, credentials_, nullptr, {"Accept: application/dicom+json"});
  unreachable = a.connect_failed;
  if (a.status == 204 || a.status == 404) return true;  // nothing there
  if (a.status != 200) {
    error = "QIDO-RS: " + describe(a);
    return false;
  }
  try {
    for (auto& uid : parse_qido_sop_uids(a.body)) uids.insert(std::move(uid));
  } catch (const std::exception& e) {
    error = std::string("QIDO-RS: ") + e.what();
    return false;
  }
  return true;
}

void DicomWebClient::stow(const std::vector<const UploadItem*>& items,
                          const std::vector<ItemResult*>& results) {
  std::vector<std::string> parts;
  std::vector<std::size_t> sent;  // indexes of items whose file could be read
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string bytes, error;
    ++results[i]->attempts;
    if (!read_file(decode_path(items[i]->path), bytes, error)) {
      results[i]->status = Status::kFailed;
      results[i]->retryable = false;
      results[i]->error = error;
      continue;
    }
    parts.push_back(std::move(bytes));
    sent.push_back(i);
  }
  if (parts.empty()) return;
  const std::string boundary = make_boundary(parts);
  const std::string body = make_multipart(parts, boundary);
  parts.clear();
  HttpAnswer a = request(
      base_ + "/studies", credentials_, &body,
      {"Content-Type: " + multipart_content_type(boundary), "Accept: application/dicom+json"});
  const bool answered = a.answered() && (a.status == 200 || a.status == 202 || a.status == 409);
  std::unordered_map<std::string, StowInstanceAnswer> per_instance;
  std::string parse_error;
  if (answered) {
    try {
      per_instance = parse_stow_response(a.body);
    } catch (const std::exception& e) {
      parse_error = e.what();
    }
  }
  for (std::size_t i : sent) {
    ItemResult& r = *results[i];
    const UploadItem& item = *items[i];
    r.transfer_syntax_uid = item.transfer_syntax_uid;  // STOW sends the file as it is
    r.unreachable = a.connect_failed;
    auto it = per_instance.find(item.sop_instance_uid);
    const bool stored = answered && (it != per_instance.end() ? it->second.stored : a.status == 200);
    if (stored) {
      r.status = Status::kSent;
      r.retryable = false;
      r.error.clear();
      r.uploaded_url = instance_url(base_, item);
      // A server may echo credentials of the request in its RetrieveURL: never store them.
      r.server_id = it != per_instance.end() && !it->second.retrieve_url.empty()
                        ? http::split_userinfo(it->second.retrieve_url).url
                        : r.uploaded_url;
      continue;
    }
    r.status = Status::kFailed;
    if (!answered) {
      r.retryable = retryable_status(a);
      r.error = "STOW-RS: " + describe(a);
    } else if (it != per_instance.end()) {
      r.retryable = false;
      r.error = "STOW-RS refused it: " + it->second.failure;
    } else {
      r.retryable = false;
      r.error = "STOW-RS: HTTP " + std::to_string(a.status) + ", instance not in the answer" +
                (parse_error.empty() ? "" : " (" + parse_error + ")");
    }
  }
}

std::string DicomWebClient::orthanc_id(const std::string& sop_instance_uid) {
  if (orthanc_.empty()) return {};
  HttpAnswer a = request(orthanc_ + "/tools/lookup", orthanc_credentials_, &sop_instance_uid,
                         {"Content-Type: text/plain"});
  if (a.status != 200) return {};
  auto j = nlohmann::json::parse(a.body, nullptr, false);
  if (!j.is_array()) return {};
  for (const auto& e : j)
    if (e.is_object() && e.value("Type", "") == "Instance") return e.value("ID", "");
  return {};
}

}  // namespace dicometl::upload
