// PostOutput: one transaction Bundle per study to a FHIR server, with retries.
#include <chrono>
#include <thread>

#include "dicometl/fhir/outputs.hpp"

namespace dicometl::fhir {

namespace {

bool retryable(long status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

//! A one-line excerpt of a server answer: no newlines, bounded length.
std::string excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, 300)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

}  // namespace

PostOutput::PostOutput(PostOptions options) : options_(std::move(options)) {
  http::global_init();
  // user:password@ in the URL travel as libcurl options; the URL kept holds none.
  credentials_ = http::split_userinfo(options_.base_url).credentials;
  options_.base_url = server_base_url(options_.base_url);
  options_.server_base =
      options_.server_base.empty() ? options_.base_url : server_base_url(options_.server_base);
}

void PostOutput::write(const StudyResources& r) {
  const std::string body =
      make_bundle(r, true, options_.server_base)
          .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  http::Request q;
  q.method = "POST";
  q.url = options_.base_url;
  q.headers = {"Content-Type: application/fhir+json", "Accept: application/fhir+json"};
  q.body = &body;
  q.credentials = credentials_;
  q.timeout_seconds = options_.timeout_seconds;
  q.max_body = 4096;  // enough to explain a failure
  PostFailure failure;
  failure.study_id = (*r.study)["id"].get<std::string>();
  long backoff = options_.backoff_ms;
  bool ok = false;
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    const http::Response a = http::send(q);
    failure.attempts = attempt;
    failure.http_status = a.status;
    failure.message = a.answered() ? excerpt(a.body) : a.error;
    if (a.status >= 200 && a.status < 300) {
      ok = true;
      break;
    }
    if (!retryable(a.status) || attempt == options_.attempts) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
    backoff *= 2;
  }
  if (ok) ++sent_;
  else failures_.push_back(std::move(failure));
}

}  // namespace dicometl::fhir
