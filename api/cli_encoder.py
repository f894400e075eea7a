"""The encoder a ``planqa`` command embeds with: the configured one, or an error a person can
act on (``click.ClickException`` naming what to install or set)."""

from __future__ import annotations

import click

from planqa.settings import Settings


def cli_encoder(settings: Settings):
    """The configured encoder (index.encoders.configured_encoder); its error, a click error."""
    from index.encoders import EncoderError, configured_encoder

    try:
        return configured_encoder(settings)
    except EncoderError as error:
        raise click.ClickException(str(error)) from error
