"""The OpenAI chat API in front of the answer service: ``GET /v1/models`` and
``POST /v1/chat/completions``, so chat front-ends and notebooks that speak it (Open WebUI,
LibreChat, LangChain, the ``openai`` SDK) can ask planqa without knowing its own API.

The message content is the /ask answer with its 【labels】; what only planqa knows
(``answered``, citations, contexts, notes) travels in the extra top-level field ``planqa``,
which OpenAI clients keep and ignore. Errors use OpenAI's body (errors.py).

- schemas.py — the request and response shapes
- conversation.py — messages → the question and its bounded history, or nothing to answer
- contracts.py — output contracts planqa cannot keep, refused with a 400
- content.py — the message content of an answer (a decline's passages written out)
- stream.py — the completion as ``chat.completion.chunk`` events
- errors.py — OpenAI's error shape; routes.py — the routes
"""

from api.openai_compat.errors import OpenAIError, as_openai_error, unknown_route
from api.openai_compat.routes import router
from api.openai_compat.schemas import MODEL_ID, ChatCompletion, ChatCompletionRequest

__all__ = [
    "MODEL_ID",
    "ChatCompletion",
    "ChatCompletionRequest",
    "OpenAIError",
    "as_openai_error",
    "router",
    "unknown_route",
]
