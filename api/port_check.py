"""Is the address ``planqa serve`` will listen on free? Asked before the index is built or
loaded, so a port another program holds (a second ``make run``, another service on 8000) is
said at once, in Japanese and English with what to do, instead of after the indexing, below
a printed URL that would lead to the other program, in uvicorn's English-only errno line."""

from __future__ import annotations

import errno
import socket

# Why a bind fails, in Japanese; any other reason is given as the system says it.
_REASONS_JA = {
    errno.EADDRINUSE: "別のプログラムが使用中です",
    errno.EACCES: "権限がありません（1024 未満のポートは管理者権限が必要です）",
    errno.EADDRNOTAVAIL: "このマシンのアドレスではありません",
}


class PortUnavailableError(Exception):
    """The host and port cannot be listened on; the message says what to do."""


def ensure_port_free(host: str, port: int) -> None:
    """Bind and release ``host:port`` as uvicorn will (SO_REUSEADDR set, so a port left in
    TIME_WAIT by a stopped server counts as free); raise ``PortUnavailableError`` if it fails."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as error:
        raise PortUnavailableError(
            f"ホスト名 '{host}' を解決できません。--host に 127.0.0.1 などのアドレスを指定して"
            f"ください / cannot resolve the host '{host}' ({error}): pass an address such as "
            "127.0.0.1 with --host"
        ) from error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            other = port + 1 if port < 65535 else port - 1
            reason_ja = _REASONS_JA.get(error.errno, error.strerror)
            raise PortUnavailableError(
                f"ポート {port}（{host}）で待ち受けられません（{reason_ja}）。使っている"
                f"プログラムを止めるか、別のポートを指定してください（planqa serve --port "
                f"{other}、make run PORT={other}） / cannot listen on port {port} of "
                f"{host} ({error.strerror}): stop the program using it or choose another port "
                f"(planqa serve --port {other}, make run PORT={other})"
            ) from error
