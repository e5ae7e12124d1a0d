"""The exceptions crampkit raises."""

from collections.abc import Iterable

__all__ = ["InvalidInputError", "KnowledgeBaseError"]


class InvalidInputError(ValueError):
    """Input that crampkit cannot accept.

    Raised for a bad profile (from :func:`crampkit.load_profile`, the CLI or a
    :class:`crampkit.Profile` built in Python) and, as its subclass
    :class:`KnowledgeBaseError`, for a bad knowledge base. Every problem found
    is listed, each with the path of the offending value.

    Attributes:
        problems: One line per problem, ``"<path>: <what is wrong>"``, for
            example ``"cramps.per_week: must be between 0 and 100, got 500"``.
    """

    problems: tuple[str, ...]

    def __init__(self, problems: Iterable[str]) -> None:
        """Create the error from its problems, one line each."""
        self.problems = tuple(problems) or ("invalid input",)
        super().__init__("\n".join(self.problems))

    def __reduce__(self) -> tuple[type["InvalidInputError"], tuple[tuple[str, ...]]]:
        """Pickle with the problems (so the error crosses process boundaries)."""
        return (type(self), (self.problems,))


class KnowledgeBaseError(InvalidInputError):
    """A knowledge base that fails validation.

    Each problem names the file (when there is one) and the item, for example
    ``"red_flags.toml: red_flags[2] (possible-clot): urgency: ..."``.
    """
