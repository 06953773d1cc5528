"""Trains a bundled model: float twin, then the binarized model distilled from it; ONNX export and
model card. One entry point; each model's configuration (flag defaults, its own flags, data,
recipe, card fields) is a module in training/recipes/, its card template in training/cards/.

    python -m Datasets.train kws --data /work/data/kws [--epochs-float 12 --epochs-binary 20 ...]
    python -m Datasets.train pointnet [--data /work/data/shapes | --modelnet ROOT] ...
    python -m Datasets.train resnet20 [--width 8] ...
    python -m Datasets.train MODEL --help          (the model's recipe and every flag)

Every model takes --data, --out, --name, --seed, --threads, --epochs-float, --epochs-binary, --batch.
"""
import argparse
import sys

from .training import loop
from .training.recipe import add_common_arguments
from .training.recipes import kws, pointnet, resnet20

RECIPES = {"kws": kws, "pointnet": pointnet, "resnet20": resnet20}


def parsers():
    """The entry point's parser and one subparser per model."""
    ap = argparse.ArgumentParser(prog="python -m Datasets.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="model", required=True, metavar="MODEL")
    models = {}
    for name, recipe in RECIPES.items():
        p = sub.add_parser(name, help=recipe.SUMMARY, description=recipe.__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        add_common_arguments(p, **recipe.DEFAULTS)
        recipe.add_arguments(p)
        models[name] = p
    return ap, models


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap, models = parsers()
    args = ap.parse_args(argv)
    loop.set_threads(args.threads)
    loop.seed_all(args.seed)
    RECIPES[args.model].run(args, models[args.model], "python -m Datasets.train " + " ".join(argv))


if __name__ == "__main__":
    main()
