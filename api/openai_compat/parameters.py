"""Which request arguments ``/v1/chat/completions`` takes: every parameter OpenAI's chat
completions API documents, and planqa's own ``top_k`` and ``filters``.

OpenAI answers an argument it does not know with a 400 (``Unrecognized request argument
supplied: …``); planqa dropped it without a word, so a misspelt ``max_token`` or a
``topk`` meant for planqa changed nothing and said nothing. Clients send documented
parameters planqa has no use for (LangChain's ``temperature``, Open WebUI's ``seed`` and
``stop``): those are accepted, as OpenAI accepts them for a model that ignores them. A
name OpenAI does not document is refused in OpenAI's shape, naming it (and the documented
name it is probably a misspelling of: api/openai_compat/contracts.py).

The list is the request body of ``POST /chat/completions`` in OpenAI's API reference, as
the ``openai`` SDK 3.63 types it (``openai.types.chat.completion_create_params``);
tests/api/test_openai_compat.py fails when the installed SDK documents one more.
"""

from __future__ import annotations

from typing import Any

# documented by OpenAI and read by planqa: ChatCompletionRequest declares them
READ = frozenset(
    {
        "model",
        "messages",
        "stream",
        "stream_options",
        "n",
        "logprobs",
        "top_logprobs",
        "response_format",
        "tools",
        "tool_choice",
        "function_call",
        "modalities",
        "audio",
    }
)
# documented by OpenAI and accepted unread: they tune sampling, caching, storage or
# billing of a generated answer, and planqa quotes its answer instead of sampling it
ACCEPTED_UNREAD = frozenset(
    {
        "frequency_penalty",
        "functions",
        "logit_bias",
        "max_completion_tokens",
        "max_tokens",
        "metadata",
        "moderation",
        "parallel_tool_calls",
        "prediction",
        "presence_penalty",
        "prompt_cache_key",
        "prompt_cache_options",
        "prompt_cache_retention",
        "reasoning_effort",
        "safety_identifier",
        "seed",
        "service_tier",
        "stop",
        "store",
        "temperature",
        "top_p",
        "user",
        "verbosity",
        "web_search_options",
    }
)
PLANQA_OWN = frozenset({"top_k", "filters"})
DOCUMENTED = READ | ACCEPTED_UNREAD


def document_accepted_arguments(schema: dict[str, Any]) -> None:
    """The request's OpenAPI schema lists the arguments accepted unread and no others, so
    the published schema says what the route takes (the model keeps the undeclared ones
    as extras only to name them in the refusal)."""
    properties = schema.setdefault("properties", {})
    for name in sorted(ACCEPTED_UNREAD):
        properties[name] = {
            "title": name,
            "description": "OpenAI's parameter, accepted and not used: the answer is quoted "
            "from the plans, not sampled.",
        }
    schema["additionalProperties"] = False
