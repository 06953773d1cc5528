"""EdgePack's Python side: dataset recipes, training, the bundled models' definitions, test fixtures.

A package: run every script from the repository root as a module, e.g.
    python -m Datasets.train kws --data /work/data/kws          (one entry point for every model)
    python -m Datasets.kws.make_stream --split test --seconds 90 --out /tmp/s
    python -m Datasets.fixtures.check
Importing the package (or kws/, pointcloud/, tools/) needs no torch; models/, training/ and
fixtures/export do.

  binarize.py     the one binarizer module: sign functions and the deployable binarized layers
  models/         the deployed models, what the bundled Datasets/trained/*.onnx were exported from
  fixtures/       the paper-faithful models and the converter's ONNX test fixtures made from them
  train.py        training entry point; training/recipes/ holds one configuration per model,
                  training/cards/ the model-card templates, training/loop.py the shared loop
  kws/, pointcloud/, images/   data: synthesis, loaders, front end, stream tools
  tools/          stand-alone helpers (audio fixtures, streams from clips, runtime accuracy)
  tests/          python -m Datasets.tests.test_recipes (needs torch)
"""
