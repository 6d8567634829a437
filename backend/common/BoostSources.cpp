// Asio's and Beast's compiled parts, built once here instead of inline in every translation unit that
// includes them (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION, set on
// cove_common for coved and the tests; the static agent keeps them inline, see CMakeLists.txt). Asio's
// TLS parts need OpenSSL: they are in service/domain/AsioSsl.cpp.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
