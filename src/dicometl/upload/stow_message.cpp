#include "dicometl/upload/stow_message.hpp"

#include <nlohmann/json.hpp>

#include <fmt/core.h>

#include <random>
#include <stdexcept>

namespace dicometl::upload {

namespace {

using nlohmann::json;

std::string first_string(const json& dataset, const char* tag) {
  auto it = dataset.find(tag);
  if (it == dataset.end() || !it->is_object()) return {};
  auto v = it->find("Value");
  if (v == it->end() || !v->is_array() || v->empty()) return {};
  const json& x = (*v)[0];
  if (x.is_string()) return x.get<std::string>();
  if (x.is_number_integer()) return std::to_string(x.get<long long>());
  return {};
}

const json* items(const json& dataset, const char* tag) {
  auto it = dataset.find(tag);
  if (it == dataset.end() || !it->is_object()) return nullptr;
  auto v = it->find("Value");
  return v != it->end() && v->is_array() ? &*v : nullptr;
}

json parse(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("the server's answer is not JSON");
  return j;
}

}  // namespace

std::string make_boundary(const std::vector<std::string>& parts) {
  std::random_device rd;
  for (;;) {
    std::string b = fmt::format("dicometl-{:016x}{:08x}",
                                (static_cast<unsigned long long>(rd()) << 32) | rd(), rd());
    bool clash = false;
    for (const auto& p : parts) clash = clash || p.find(b) != std::string::npos;
    if (!clash) return b;
  }
}

std::string multipart_content_type(const std::string& boundary) {
  return "multipart/related; type=\"application/dicom\"; boundary=" + boundary;
}

std::string make_multipart(const std::vector<std::string>& parts, const std::string& boundary) {
  std::size_t size = 0;
  for (const auto& p : parts) size += p.size() + boundary.size() + 64;
  std::string body;
  body.reserve(size + boundary.size() + 8);
  for (const auto& p : parts) {
    body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n";
    body += p;
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return body;
}

std::unordered_map<std::string, StowInstanceAnswer> parse_stow_response(std::string_view body) {
  std::unordered_map<std::string, StowInstanceAnswer> out;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  json j = parse(body);
  if (j.is_array() && j.size() == 1) j = j[0];  // some servers wrap the dataset in an array
  if (!j.is_object()) throw std::runtime_error("the server's answer is not a DICOM JSON object");
  if (const json* ok = items(j, "00081199")) {
    for (const auto& item : *ok) {
      std::string uid = first_string(item, "00081155");
      if (uid.empty()) continue;
      auto& a = out[uid];
      a.stored = true;
      a.retrieve_url = first_string(item, "00081190");
    }
  }
  if (const json* failed = items(j, "00081198")) {
    for (const auto& item : *failed) {
      std::string uid = first_string(item, "00081155");
      if (uid.empty()) continue;
      auto& a = out[uid];
      a.stored = false;
      const std::string reason = first_string(item, "00081197");
      std::string code = reason;
      if (!reason.empty() && reason.find_first_not_of("0123456789") == std::string::npos)
        code = fmt::format("0x{:04X}", std::stoul(reason));
      a.failure = reason.empty() ? "listed in FailedSOPSequence" : "failure reason " + code;
    }
  }
  return out;
}

std::vector<std::string> parse_qido_sop_uids(std::string_view body) {
  std::vector<std::string> out;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;  // 204
  json j = parse(body);
  if (!j.is_array()) throw std::runtime_error("the QIDO-RS answer is not a JSON array");
  for (const auto& ds : j) {
    if (!ds.is_object()) continue;
    std::string uid = first_string(ds, "00080018");
    if (!uid.empty()) out.push_back(std::move(uid));
  }
  return out;
}

}  // namespace dicometl::upload
