"""Any OpenAI-compatible chat API: DeepSeek, Qwen, GLM, a local vLLM or Ollama."""

from inhouse.assist.provider.client import ChatClient, Completion, ProviderConfig
from inhouse.assist.provider.errors import AIUnavailable

__all__ = ["AIUnavailable", "ChatClient", "Completion", "ProviderConfig"]
