#include "dicometl/upload/dicomweb_client.hpp"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "dicometl/upload/stow_message.hpp"

namespace dicometl::upload {

namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() < (64u << 20)) body->append(data, size * n);  // QIDO answers can be long
  return size * n;
}

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
  return !a.transport_ok || a.status == 408 || a.status == 429 || a.status >= 500;
}

std::string describe(const HttpAnswer& a) {
  if (!a.transport_ok) return a.error;
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

DicomWebClient::DicomWebClient(std::string base, std::string orthanc, int timeout_seconds)
    : base_(std::move(base)), orthanc_(std::move(orthanc)), timeout_seconds_(timeout_seconds),
      curl_(curl_easy_init()) {
  if (!curl_) throw std::runtime_error("libcurl could not start");
  while (!orthanc_.empty() && orthanc_.back() == '/') orthanc_.pop_back();
}

DicomWebClient::~DicomWebClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpAnswer DicomWebClient::request(const std::string& url, const std::string* post_body,
                                   const std::vector<std::string>& headers) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the connection cache
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  HttpAnswer a;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  if (post_body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
  }
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds_));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));  // credentials
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    a.error = curl_easy_strerror(rc);
    return a;
  }
  a.transport_ok = true;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  return a;
}

bool DicomWebClient::existing(const std::string& study, const std::string& series,
                              std::unordered_set<std::string>& uids, std::string& error) {
  const std::string url = series_url(base_, study, series) + "/instances?includefield=00080018";
  HttpAnswer a = request(url, nullptr, {"Accept: application/dicom+json"});
  if (a.transport_ok && (a.status == 204 || a.status == 404)) return true;  // nothing there
  if (!a.transport_ok || a.status != 200) {
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
    if (!read_file(items[i]->path, bytes, error)) {
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
  HttpAnswer a = request(base_ + "/studies", &body,
                         {"Content-Type: " + multipart_content_type(boundary),
                          "Accept: application/dicom+json"});
  const bool answered = a.transport_ok && (a.status == 200 || a.status == 202 || a.status == 409);
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
    auto it = per_instance.find(item.sop_instance_uid);
    const bool stored = answered && (it != per_instance.end() ? it->second.stored : a.status == 200);
    if (stored) {
      r.status = Status::kSent;
      r.retryable = false;
      r.error.clear();
      r.uploaded_url = instance_url(base_, item);
      r.server_id = it != per_instance.end() && !it->second.retrieve_url.empty()
                        ? it->second.retrieve_url
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
  HttpAnswer a = request(orthanc_ + "/tools/lookup", &sop_instance_uid, {"Content-Type: text/plain"});
  if (!a.transport_ok || a.status != 200) return {};
  auto j = nlohmann::json::parse(a.body, nullptr, false);
  if (!j.is_array()) return {};
  for (const auto& e : j)
    if (e.is_object() && e.value("Type", "") == "Instance") return e.value("ID", "");
  return {};
}

}  // namespace dicometl::upload
