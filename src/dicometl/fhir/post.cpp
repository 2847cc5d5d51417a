// PostOutput: one transaction Bundle per study to a FHIR server, with retries.
#include <curl/curl.h>

#include <chrono>
#include <thread>

#include "dicometl/fhir/outputs.hpp"

namespace dicometl::fhir {

namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() < 4096) body->append(data, size * n);  // enough to explain a failure
  return size * n;
}

bool retryable(long status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

//! A one-line excerpt of a server answer: no newlines, bounded length.
std::string excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, 300)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

}  // namespace

PostOutput::PostOutput(PostOptions options) : options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl could not start");
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

PostOutput::~PostOutput() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void PostOutput::write(const StudyResources& r) {
  const std::string body =
      make_bundle(r, true).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  CURL* c = static_cast<CURL*>(curl_);
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/fhir+json");
  headers = curl_slist_append(headers, "Accept: application/fhir+json");
  PostFailure failure;
  failure.study_id = (*r.study)["id"].get<std::string>();
  long backoff = options_.backoff_ms;
  bool ok = false;
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    std::string answer;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, options_.base_url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    failure.attempts = attempt;
    failure.http_status = status;
    failure.message = rc != CURLE_OK ? curl_easy_strerror(rc) : excerpt(answer);
    if (rc == CURLE_OK && status >= 200 && status < 300) {
      ok = true;
      break;
    }
    if (!retryable(status) || attempt == options_.attempts) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
    backoff *= 2;
  }
  curl_slist_free_all(headers);
  if (ok) ++sent_;
  else failures_.push_back(std::move(failure));
}

}  // namespace dicometl::fhir
