#include "dicometl/fhir/hash_id.hpp"

#include <openssl/sha.h>

namespace dicometl::fhir {

std::string sha256_hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string identifier_id(std::string_view system, std::string_view value) {
  std::string key(system);
  key.push_back('|');
  key.append(value);
  return sha256_hex(key);
}

std::string uuid_urn(std::string_view hex_id) {
  std::string h(hex_id.substr(0, 32));
  h.resize(32, '0');
  h[12] = '5';  // version 5 (name-based, SHA-derived)
  static constexpr char kVariant[] = "89ab";
  h[16] = kVariant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20, 12);
}

}  // namespace dicometl::fhir
