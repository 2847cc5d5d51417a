#pragma once
// Deterministic resource ids: the same input gives the same id on every run and machine, so
// re-exports update resources instead of duplicating them.
#include <string>
#include <string_view>

namespace dicometl::fhir {

//! Lower-case hex SHA-256 of `text` (64 characters: a valid FHIR id).
std::string sha256_hex(std::string_view text);

//! sha256(system + "|" + value): the id of a resource known by an identifier.
std::string identifier_id(std::string_view system, std::string_view value);

//! A urn:uuid derived from a 64-hex id (RFC 4122 version/variant bits set), for Bundle fullUrl.
std::string uuid_urn(std::string_view hex_id);

}  // namespace dicometl::fhir
