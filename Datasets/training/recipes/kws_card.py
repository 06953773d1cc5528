"""The keyword spotter's model card (training/cards/kws.md) from a run's results (CACHE/NAME_results.json).

The detector setting, the runtime against onnxruntime and the stream figures are measured after
training by other tools; they are kept from the existing card while it describes the same model."""
from pathlib import Path

from ...kws.vocabulary import LABELS, SILENCE_INDEX, UNKNOWN_INDEX
from .. import loop, recipe


def fmt_or_dash(v, spec, scale=1, unit=""):
    """v * scale formatted with spec, then unit; '—' when there is no value (no float twin in the run)."""
    return "—" if v is None else format(v * scale, spec) + unit


def flags(command):
    """A recorded command's flags after the model name and --data, extra-data folders that differ only
    in a trailing number written as one brace pattern (`/work/data/kws_extra{1,2,3}`)."""
    words = command.split()[command.split().index("kws") + 1:]
    if "--data" in words:
        del words[words.index("--data"):words.index("--data") + 2]
    out = []
    for w in words:
        prev = out[-1] if out else ""
        stem, num = w.rstrip("0123456789"), w[len(w.rstrip("0123456789")):]
        pstem = prev.split("{")[0].rstrip("0123456789")
        if num and prev.startswith("/") and pstem == stem:
            nums = prev[len(pstem):].strip("{}").split(",")
            out[-1] = f"{stem}{{{','.join(nums + [num])}}}"
        else:
            out.append(w)
    return " ".join(out)


def recorded_args(command):
    """The arguments a recorded `python -m Datasets.train kws ...` command ran with."""
    from ...train import parsers
    return parsers()[0].parse_args(command.split()[command.split().index("kws"):])


def numbers(ns):
    """1, 2, 3 -> '1–3'; 1, 3 -> '1 and 3'."""
    ns = sorted(ns)
    if len(ns) > 2 and ns == list(range(ns[0], ns[-1] + 1)):
        return f"{ns[0]}–{ns[-1]}"
    return ", ".join(str(n) for n in ns[:-1]) + (" and " if len(ns) > 1 else "") + str(ns[-1])


def round_of(root):
    """The extra round of a `make_dataset.py --extra-round N` folder named ..._extraN, or None."""
    name = Path(root).name
    num = name[len(name.rstrip("0123456789")):]
    return int(num) if num else None


def extra_rows(c, args, twin_args):
    """Table rows of the extra training clips, named by round when the folders are numbered."""
    rows = []
    for k, root in enumerate(args.extra_data):
        n = round_of(root)
        what = ("`make_dataset.py --extra-round {0}`: every near miss once, every keyword once more, per training "
                "speaker" if k == 0 else "`--extra-round {0}`, same").format(n if n is not None else "N")
        if twin_args is not None and root not in twin_args.extra_data:
            what += "; the binary model only"
        name = f"extra training clips, round {n}" if n is not None else f"extra training clips in {root}"
        rows.append(f"| {name} ({what}) | {sum(c['extra ' + root])} | {c['extra ' + root]} |\n")
    return "".join(rows)


def training_sets(args):
    """'the base set, extra rounds 1–3 and the training stream windows'."""
    rounds = [round_of(r) for r in args.extra_data]
    parts = ["the base set"]
    if rounds:
        parts.append(f"extra round{'s' if len(rounds) > 1 else ''} {numbers(rounds)}" if None not in rounds
                     else "the extra clips")
    if args.stream_minutes > 0:
        parts.append("the training stream windows")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def sets_sentence(args, twin_args):
    """Which data each model trains on, when the float twin's command is known."""
    if twin_args is None or not (args.extra_data or args.stream_minutes > 0):
        return ""
    twin, binary = training_sets(twin_args), training_sets(args)
    if twin == binary:
        return f"Both models train on {binary}.\n"
    more = [round_of(r) for r in args.extra_data if r not in twin_args.extra_data]
    if set(twin_args.extra_data) <= set(args.extra_data) and (twin_args.stream_minutes > 0) == (args.stream_minutes > 0):
        extra = f"extra round{'s' if len(more) > 1 else ''} {numbers(more)}" if None not in more else "more extra clips"
        return f"The float twin trains on {twin}; the binary model\non those and {extra}.\n"
    return f"The float twin trains on {twin}; the binary model on {binary}.\n"


def fmt_lr(v):
    """A learning rate as the flags write it: 2e-3, 5e-4 (one significant digit), else as %g."""
    m, e = f"{v:.0e}".split("e")
    return f"{m}e{int(e)}" if float(f"{v:.0e}") == v else f"{v:g}"


def hand_kept(old, same_model):
    """The parts of the card measured after training by other tools (the detector chosen by
    kws/tune_detector.py, the runtime against onnxruntime, the streams): kept from the existing card
    when it describes the same model (same test accuracies), else marked as not measured yet."""
    kept = dict(detector=recipe.paragraph(old, "## Recipe", "Detector:"),
                runtime_check=recipe.paragraph(old, "## Export", "EdgePack runtime vs onnxruntime"),
                streaming=recipe.section(old, "## Streaming").rstrip("\n") or None)
    todo = dict(
        detector="Detector: not chosen for this model yet (`python -m Datasets.kws.tune_detector` on validation "
                 "streams, as in the Datasets README).",
        runtime_check="EdgePack runtime vs onnxruntime: not measured for this model yet (`python -m "
                      "Datasets.tools.eval_runtime`).",
        streaming="## Streaming (the runtime: `edgepack kws-eval`, the detector setting stored in the model)\n"
                  "Not measured for this model yet (`edgepack kws-eval`, `Toolchain/check-kws-stream`).")
    return {k: kept[k] if same_model and kept[k] is not None else todo[k] for k in todo}


def recipe_steps(info, args, command):
    """(intro, table rows, float twin paragraph) of the card's Recipe section."""
    ft = info["float_train"]
    r = info["results"]
    d0 = max(r, key=int)
    intro = ("Fine-tuned on CPU: both models start from the previous run's checkpoints in the cache"
             if args.finetune else "Trained afresh from a float twin on CPU")
    run = f"`python -m Datasets.train kws --data {args.data} ...`"
    if ft is not None and ft.get("command") not in (None, command):  # the twin came from an earlier command
        intro += (f", in two commands ({run};\nthe data as in the Datasets README); `--cache` holds features, "
                  "stream windows and checkpoints.")
        rows = (f"| float twin | `{flags(ft['command'])}` | "
                f"{loop.fmt_time(ft['total_seconds']) if 'total_seconds' in ft else '—'} |\n"
                f"| binary model | `{flags(command)}` | {loop.fmt_time(info['total_seconds'])} |")
    else:
        intro += f" ({run}; the data as in the Datasets README); `--cache` holds features, stream windows and checkpoints."
        step = ("binary model" if ft is None else "float twin and binary model" if "command" in ft
                else "binary model (the float twin from an earlier command, not recorded)")
        rows = f"| {step} | `{flags(command)}` | {loop.fmt_time(info['total_seconds'])} |"
    if ft is None:
        twin = "No float twin in this run (cross-entropy alone)."
    else:
        twin_args = recorded_args(ft["command"]) if "command" in ft else None
        start = "" if twin_args is None else (" fine-tuned" if twin_args.finetune else " from scratch")
        epochs = f"{ft['epochs']} epoch{'s' if ft['epochs'] != 1 else ''}" if "epochs" in ft else "trained"
        twin = (f"Float twin: {epochs}{start}, AdamW"
                f"{', lr ' + fmt_lr(ft['lr']) if 'lr' in ft else ''}, warm-up + cosine, batch "
                f"{twin_args.batch if twin_args else args.batch}, SpecAugment (one ≤4-band\nfrequency mask, one "
                f"≤4-frame time mask), best validation epoch kept; {fmt_or_dash(r[d0]['float'], '.2f', 100, ' %')} "
                "on the test clips.")
    return intro, rows, twin


def write_card(path, info, args, command):
    """The model card (training/cards/kws.md) from a run's results (`info`, as in CACHE/NAME_results.json),
    over the card at `path` if there is one (recipe.write_card keeps its appendix)."""
    from ...kws.make_dataset import KEYWORD_TAKES, NEAR_MISS_PER_SPEAKER, UNKNOWN_PER_SPEAKER
    from ...kws.vocabulary import NEAR_MISSES, UNKNOWN_WORDS
    r = {int(d): v for d, v in info["results"].items()}  # JSON keys are strings
    d0 = max(r)
    c = info["counts"]
    ft = info["float_train"]
    twin_args = recorded_args(ft["command"]) if ft is not None and "command" in ft else None
    depth_rows = "\n".join(
        f"| {d} | {fmt_or_dash(r[d]['float'], '.2f', 100, ' %')} | {r[d]['binary'] * 100:.2f} % | "
        f"{fmt_or_dash(None if r[d]['float'] is None else r[d]['float'] - r[d]['binary'], '+.2f', 100, ' pt')} |"
        for d in sorted(r, reverse=True))
    cls_rows = "\n".join(f"| {k} | {c['test'][i]} | {fmt_or_dash(r[d0]['per_class_float'][k], '.1f', 100, ' %')} | "
                         f"{r[d0]['per_class_binary'][k] * 100:.1f} % |" for i, k in enumerate(LABELS))
    data = ("the real Speech Commands set (" + args.data + ")" if args.real else
            "the synthetic espeak-ng set built by `Datasets/kws/make_dataset.py --seed 1`")
    stream_rows = extra_rows(c, args, twin_args)
    stream_rows += "".join(
        f"| {s} (1 s windows of {m:g} min of streams, {s.split('_')[0]} voices) | {sum(c[s])} | {c[s]} |\n"
        for s, m in (("train_stream_windows", args.stream_minutes),
                     ("validation_stream_windows", max(5.0, args.stream_minutes / 4))) if s in c)
    if args.stream_minutes > 0:
        stream_rows += (f"\nStream windows (`kws/stream_windows.py`): every 0.1 s of synthesized streams "
                        f"({args.stream_unknown_share:g} of the words unknown, near misses drawn "
                        f"{args.stream_near_miss_weight}× as often), labelled keyword only when the whole word "
                        f"is inside, unknown for cut words and other words, silence for noise.\n")
    stream_rows += sets_sentence(args, twin_args)
    recipe_intro, step_rows, twin = recipe_steps(info, args, command)
    kd = ("CE" if ft is None or args.kd_weight == 0 else
          f"{1 - args.kd_weight:g}·CE + {args.kd_weight:g}·KL to the float twin's logits at T=2")
    if args.unknown_weight != 1:
        kd += f" (unknown class weighted {args.unknown_weight:g} in the CE)"
    if args.feature_kd:
        kd += f" + {args.feature_kd:g}·block-feature distance to the twin"
    float_layers = (["Both front convs" if args.float_front else "The first conv"]
                    + (["the projection into the memory width"] if args.float_project else []) + ["the classifier"])
    old = recipe.existing_card(path)
    fields = dict(
        args=args, info=info, data=data, stream_rows=stream_rows, depth_rows=depth_rows, cls_rows=cls_rows, d0=d0,
        recipe_intro=recipe_intro, step_rows=step_rows, twin=twin, kd=kd,
        labels=", ".join(LABELS), labels_indexed=", ".join(f"{i} {k}" for i, k in enumerate(LABELS)),
        silence=SILENCE_INDEX, unknown=UNKNOWN_INDEX,
        keyword_takes=KEYWORD_TAKES, unknown_per_speaker=UNKNOWN_PER_SPEAKER, unknown_words=len(UNKNOWN_WORDS),
        near_misses=len(NEAR_MISSES), near_miss_per_speaker=NEAR_MISS_PER_SPEAKER,
        train_clips=sum(c["train"]), validation_clips=sum(c["validation"]), test_clips=sum(c["test"]),
        front2=2 * args.front, front_features=2 * args.front * 8, classifier_in=args.memory * 8,
        front_kind="float" if args.float_front else "binary",
        project_kind="float" if args.float_project else "binary",
        memory_kind="binary" if args.binary_memory else "float",
        thinnable=(" Thinnable: depths 8/4/2/1 (blocks all / 1,3,5,7 / 3,7 / 7), each depth with its own last "
                   "BN+PReLU per block; the ONNX file is depth 8." if args.thinnable else ""),
        float_layers=", ".join(float_layers[:-1]) + " and " + float_layers[-1] + " are",
        float_memory="" if args.binary_memory else ", and so are the depthwise memory convs (under 1 % of the multiply-adds)",
        # every binary weight of the float-front layout is in a 1x1 (or depthwise) conv over the 8 frames
        float_front_why=(f"\nThe second front conv is float because its input has only {args.front} channels: a binary "
                         f"version sees {args.front} signs per\npixel. Float, it costs {2 * args.front * args.front * 25 * 64:,} "
                         f"multiply-adds per window beside the binary layers' {8 * info['binarized_weights']:,}."
                         if args.float_front else ""),
        size_ratio=info["float_bytes"] / info["deployed_bytes"],
        binary_start=("started from " + args.binary_from_onnx if args.binary_from_onnx else
                      "fine-tuned from the previous run's binary checkpoint" if args.finetune else
                      "initialized from the float twin"),
        validation_streams=" + validation stream\nwindows" if args.stream_minutes > 0 else "",
        ops=", ".join(f"{k} {v}" for k, v in info["onnx_ops"].items()),
        agreement=info["ort_agreement"] * 100)
    # the same model when the generated accuracy figures equal the existing card's
    same = bool(old) and (recipe.section(recipe.render_card("kws", **fields, detector="", runtime_check="",
                                                            streaming=""), "## Accuracy")
                          == recipe.section(old, "## Accuracy"))
    recipe.write_card("kws", path, **fields, **hand_kept(old, same))
