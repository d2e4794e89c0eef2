"""Waypoint's intent classifier: Rasa's logistic regression over the same features, with the two
settings Rasa does not expose.

- The count features (word and character n-grams, lookup and regex features) are reweighted by
  TF-IDF with sublinear term frequency, so the words that tell intents apart ("pack", "signs",
  "report") weigh more than the ones every message has ("i", "my", "what"), and a word typed
  twice does not count double.
- The regularisation strength C is a setting: with about 40 intents in two languages the default
  (C=1) spreads probability so thinly that many clear messages fall under the fallback threshold.

Measured by `make crossval` (reports/nlu_crossval.json, docs/conversation_design.md "Figures").
Loaded by Rasa from config.yml by its module path; trained and stored like the component it
extends (skops), so it needs nothing Rasa does not already install.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

# The types a stored model may hold beyond what skops trusts by default.
ALLOWED_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression over TF-IDF-weighted features, with a configurable C."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "tfidf": True}

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        regression = LogisticRegression(
            C=float(self.config["C"]),
            solver=self.config["solver"],
            max_iter=self.config["max_iter"],
            class_weight="balanced",
            tol=self.config["tol"],
            random_state=self.config["random_state"],
        )
        steps: list[tuple[str, Any]] = []
        if self.config["tfidf"]:
            steps.append(("tfidf", TfidfTransformer(sublinear_tf=True)))
        steps.append(("regression", regression))
        self.clf = Pipeline(steps)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfLogisticRegressionClassifier:
        """Loads the trained pipeline. skops refuses types it does not know; the one extra type
        a fitted TF-IDF step holds (its idf vector, a scipy sparse matrix) is allowed by name,
        and anything else in the file is refused, as Rasa's own component does."""
        import skops.io as sio

        component = cls(config, execution_context.node_name, model_storage, resource)
        with model_storage.read_from(resource) as model_dir:
            path = model_dir / f"{resource.name}.skops"
            untrusted = sio.get_untrusted_types(file=path)
            unexpected = set(untrusted) - ALLOWED_TYPES
            if unexpected:
                raise ValueError(f"{path.name}: refusing to load types {sorted(unexpected)}")
            component.clf = sio.load(path, trusted=untrusted)
        return component

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfLogisticRegressionClassifier:
        return cls(config, execution_context.node_name, model_storage, resource)
