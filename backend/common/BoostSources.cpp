// Asio's and Beast's compiled parts, built once here instead of inline in every translation unit that
// includes them (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION, set on
// cove_common for everything that links it). Asio's TLS parts need OpenSSL, which the static agent does
// not link: they are in service/domain/AsioSsl.cpp.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
