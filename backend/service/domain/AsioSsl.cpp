// Asio's TLS parts, compiled once (see common/BoostSources.cpp): the domain is the lowest layer that
// links OpenSSL.
#include <boost/asio/ssl/impl/src.hpp>
