package synth

// family describes one kind of experiment: its names, the configs its runs
// use and the shape of their metrics. Experiment e uses families[e%len].
type family struct {
	exp, short, desc, team, owner string
	tags                          []string
	models, datasets              []string
	gpuTypes                      []string
	gpus                          []int
	lrs                           []float64
	batches                       []int
	optimizers                    []string // repeated entries weight the choice
	variants                      []string // run name fragments
	loss0, floor                  [2]float64
	accMax                        [2]float64
	stepMS                        [2]int
	tokensPerSample               int // for tok/s in log lines; 0 for non-text
}

var families = []family{
	{
		exp: "llama-ft-code", short: "code-sft", team: "nlp-core", owner: "priya.n",
		desc:     "Supervised fine-tuning of Llama 3 8B on instruction-formatted code for the code assistant.",
		tags:     []string{"llm", "code", "sft"},
		models:   []string{"llama-3-8b", "llama-3-8b-instruct"},
		datasets: []string{"code-instruct-v4", "the-stack-dedup-py", "code-instruct-v4.2"},
		gpuTypes: []string{"H100-80GB", "H100-80GB", "A100-80GB"}, gpus: []int{16, 32, 64},
		lrs: []float64{1e-5, 2e-5, 5e-5, 1e-4, 2e-4}, batches: []int{128, 256, 512},
		optimizers: []string{"adamw", "adamw", "adamw", "lion", "adafactor"},
		variants:   []string{"lr2e-4", "lora-r16", "lora-r64", "full-ft", "bs512", "packing", "fp8", "warmup1k"},
		loss0:      [2]float64{1.8, 2.4}, floor: [2]float64{0.38, 0.62}, accMax: [2]float64{62, 74},
		stepMS: [2]int{1800, 3200}, tokensPerSample: 4096,
	},
	{
		exp: "vit-distill-imagenet", short: "vit-distill", team: "vision", owner: "chen.w",
		desc:     "Distilling ViT-L/16 into ViT-S/16 on ImageNet-1k with soft-label and feature losses.",
		tags:     []string{"vision", "distill"},
		models:   []string{"vit-l-16", "vit-s-16", "vit-b-16"},
		datasets: []string{"imagenet-1k", "imagenet-21k-filtered"},
		gpuTypes: []string{"A100-40GB", "A100-80GB", "H100-80GB"}, gpus: []int{8, 16, 32},
		lrs: []float64{1e-4, 5e-4, 1e-3, 3e-3}, batches: []int{1024, 2048, 4096},
		optimizers: []string{"adamw", "adamw", "sgd", "lion"},
		variants:   []string{"temp2", "temp4", "feat-kd", "mixup", "randaug", "ema", "bs4k"},
		loss0:      [2]float64{6.6, 6.95}, floor: [2]float64{0.72, 1.1}, accMax: [2]float64{78, 86},
		stepMS: [2]int{300, 700},
	},
	{
		exp: "whisper-asr-multilingual", short: "asr-ft", team: "speech", owner: "sofia.k",
		desc:     "Fine-tuning Whisper small on Common Voice 17 for 12 languages; accuracy is 100 - WER.",
		tags:     []string{"speech", "asr", "multilingual"},
		models:   []string{"whisper-small", "whisper-medium"},
		datasets: []string{"common-voice-17", "fleurs", "common-voice-17+fleurs"},
		gpuTypes: []string{"A100-40GB", "L4-24GB"}, gpus: []int{4, 8, 16},
		lrs: []float64{1e-5, 3e-5, 6.25e-6}, batches: []int{64, 128, 256},
		optimizers: []string{"adamw", "adamw", "adafactor"},
		variants:   []string{"specaug", "lang12", "freeze-enc", "lr3e-5", "long-form"},
		loss0:      [2]float64{3.8, 4.6}, floor: [2]float64{0.32, 0.55}, accMax: [2]float64{84, 92},
		stepMS: [2]int{700, 1500},
	},
	{
		exp: "mistral-chat-dpo", short: "chat-dpo", team: "alignment", owner: "marco.r",
		desc:     "Direct preference optimisation of Mistral 7B on chat preference pairs.",
		tags:     []string{"llm", "chat", "dpo"},
		models:   []string{"mistral-7b", "mistral-7b-instruct"},
		datasets: []string{"chat-prefs-v2", "ultrafeedback-binarized", "chat-prefs-v3"},
		gpuTypes: []string{"H100-80GB"}, gpus: []int{16, 32, 64},
		lrs: []float64{5e-7, 1e-6, 5e-6}, batches: []int{64, 128},
		optimizers: []string{"adamw", "adamw", "adamw", "lion"},
		variants:   []string{"beta0.1", "beta0.3", "ipo", "ref-ema", "len-norm"},
		loss0:      [2]float64{0.69, 0.72}, floor: [2]float64{0.28, 0.42}, accMax: [2]float64{68, 79},
		stepMS: [2]int{2200, 4000}, tokensPerSample: 2048,
	},
	{
		exp: "e5-embed-retrieval", short: "embed", team: "search", owner: "amir.h",
		desc:     "Contrastive training of an E5-large embedding model for retrieval; accuracy is recall@10.",
		tags:     []string{"embeddings", "retrieval"},
		models:   []string{"e5-large", "bge-large"},
		datasets: []string{"msmarco-passage", "internal-docs-qa", "beir-mix"},
		gpuTypes: []string{"A100-80GB", "H100-80GB"}, gpus: []int{8, 16},
		lrs: []float64{1e-5, 2e-5, 3e-5}, batches: []int{4096, 8192, 16384},
		optimizers: []string{"adamw", "adamw", "lion"},
		variants:   []string{"hardneg", "temp0.02", "in-batch", "matryoshka", "bs16k"},
		loss0:      [2]float64{3.4, 4.1}, floor: [2]float64{0.18, 0.35}, accMax: [2]float64{82, 93},
		stepMS: [2]int{500, 1100}, tokensPerSample: 512,
	},
	{
		exp: "llama-summarize-news", short: "summ", team: "nlp-apps", owner: "lena.b",
		desc:     "Fine-tuning Llama 3 8B for abstractive news summarisation with length control.",
		tags:     []string{"llm", "summarization"},
		models:   []string{"llama-3-8b", "llama-3-8b-instruct"},
		datasets: []string{"cnn-dailymail", "xsum", "newsroom-internal"},
		gpuTypes: []string{"H100-80GB", "A100-80GB"}, gpus: []int{8, 16, 32},
		lrs: []float64{2e-5, 5e-5, 1e-4}, batches: []int{64, 128, 256},
		optimizers: []string{"adamw", "adamw", "adafactor"},
		variants:   []string{"len-ctrl", "lora-r32", "xsum-mix", "dpo-init", "short"},
		loss0:      [2]float64{2.1, 2.6}, floor: [2]float64{0.9, 1.25}, accMax: [2]float64{55, 64},
		stepMS: [2]int{1500, 2800}, tokensPerSample: 3072,
	},
	{
		exp: "deberta-safety-classifier", short: "safety-cls", team: "trust-safety", owner: "tomas.v",
		desc:     "DeBERTa-v3-large multi-label content safety classifier for prompts and completions.",
		tags:     []string{"classifier", "safety"},
		models:   []string{"deberta-v3-large", "deberta-v3-base"},
		datasets: []string{"safety-labels-v7", "jigsaw-toxic", "safety-labels-v8"},
		gpuTypes: []string{"A100-40GB", "L4-24GB"}, gpus: []int{1, 2, 4, 8},
		lrs: []float64{1e-5, 2e-5, 3e-5}, batches: []int{32, 64, 128},
		optimizers: []string{"adamw", "adamw", "sgd"},
		variants:   []string{"focal", "label-smooth", "multi-task", "calib", "lr2e-5"},
		loss0:      [2]float64{0.68, 0.75}, floor: [2]float64{0.07, 0.14}, accMax: [2]float64{92, 97},
		stepMS: [2]int{250, 600}, tokensPerSample: 256,
	},
	{
		exp: "vit-detect-retail", short: "shelf-det", team: "vision", owner: "yuki.t",
		desc:     "Shelf product detection with a ViT-B/16 backbone and a DETR head on retail images.",
		tags:     []string{"vision", "detection"},
		models:   []string{"vit-b-16", "detr-vit-b"},
		datasets: []string{"retail-shelves-v3", "sku110k", "retail-shelves-v4"},
		gpuTypes: []string{"A100-40GB", "A100-80GB"}, gpus: []int{8, 16},
		lrs: []float64{1e-4, 2e-4, 5e-4}, batches: []int{32, 64, 128},
		optimizers: []string{"adamw", "sgd", "sgd"},
		variants:   []string{"mosaic", "640px", "1024px", "giou2", "aux-loss"},
		loss0:      [2]float64{4.2, 5.1}, floor: [2]float64{1.1, 1.6}, accMax: [2]float64{48, 61},
		stepMS: [2]int{600, 1400},
	},
	{
		exp: "t5-translate-enfr", short: "mt-enfr", team: "nlp-core", owner: "fatima.z",
		desc:     "T5-large English to French translation with back-translated data; accuracy is chrF.",
		tags:     []string{"translation", "seq2seq"},
		models:   []string{"t5-large", "mt5-large"},
		datasets: []string{"wmt14-en-fr", "wmt14-en-fr+bt", "opus-100-enfr"},
		gpuTypes: []string{"A100-40GB", "A100-80GB"}, gpus: []int{8, 16},
		lrs: []float64{1e-4, 3e-4, 1e-3}, batches: []int{256, 512, 1024},
		optimizers: []string{"adafactor", "adafactor", "adamw"},
		variants:   []string{"bt2x", "label-smooth", "rel-pos", "bs1k", "ckpt-avg"},
		loss0:      [2]float64{3.0, 3.6}, floor: [2]float64{1.05, 1.35}, accMax: [2]float64{58, 66},
		stepMS: [2]int{800, 1600}, tokensPerSample: 256,
	},
	{
		exp: "llama-longctx-rope", short: "longctx", team: "nlp-core", owner: "noah.g",
		desc:     "Extending Llama 3 8B to 64k context with RoPE scaling and continued pre-training.",
		tags:     []string{"llm", "long-context"},
		models:   []string{"llama-3-8b"},
		datasets: []string{"slimpajama-long", "books3-filtered", "code-long-mix"},
		gpuTypes: []string{"H100-80GB"}, gpus: []int{64, 128, 256},
		lrs: []float64{1e-5, 2e-5, 3e-5}, batches: []int{32, 64},
		optimizers: []string{"adamw", "adamw", "lion"},
		variants:   []string{"yarn", "ntk", "pi", "theta500k", "64k", "32k"},
		loss0:      [2]float64{2.0, 2.5}, floor: [2]float64{1.6, 1.85}, accMax: [2]float64{48, 55},
		stepMS: [2]int{3500, 6000}, tokensPerSample: 65536,
	},
}

// Model registry entries; model m belongs to experiment modelExperiment[m].
type modelSpec struct {
	id, name, task, desc string
	exp                  int // family/experiment index
	tags                 []string
	sizeBytes            int64
	p50, p99             float64 // serving latency baseline (ms)
	rps                  float64
	route                string // inference route for traces
}

var modelSpecs = []modelSpec{
	{"mdl-code-assist", "code-assist", "code-completion", "Code completion and chat for the IDE assistant.", 0,
		[]string{"llm", "code"}, 16_060_000_000, 310, 1180, 420, "POST /v1/completions"},
	{"mdl-chat-general", "chat-general", "chat", "General-purpose chat model behind the internal assistant.", 3,
		[]string{"llm", "chat"}, 14_480_000_000, 380, 1450, 860, "POST /v1/chat/completions"},
	{"mdl-vision-classifier", "vision-classifier", "image-classification", "Compact ViT-S image classifier distilled from ViT-L.", 1,
		[]string{"vision"}, 88_200_000, 18, 61, 1900, "POST /v1/images/classify"},
	{"mdl-speech-asr", "speech-asr", "speech-recognition", "Multilingual speech recognition for meeting transcripts.", 2,
		[]string{"speech"}, 967_000_000, 240, 910, 120, "POST /v1/audio/transcriptions"},
	{"mdl-embed-search", "embed-search", "embeddings", "Text embeddings for enterprise search and RAG.", 4,
		[]string{"embeddings", "search"}, 1_340_000_000, 22, 84, 2600, "POST /v1/embeddings"},
	{"mdl-news-summarizer", "news-summarizer", "summarization", "Length-controlled abstractive summaries of news.", 5,
		[]string{"llm", "summarization"}, 16_060_000_000, 520, 2100, 45, "POST /v1/summarize"},
	{"mdl-content-safety", "content-safety", "moderation", "Multi-label safety classifier for prompts and completions.", 6,
		[]string{"classifier", "safety"}, 1_740_000_000, 9, 31, 3100, "POST /v1/moderations"},
}

var (
	owners = []string{"priya.n", "marco.r", "chen.w", "sofia.k", "amir.h", "lena.b", "tomas.v",
		"yuki.t", "fatima.z", "noah.g", "ines.m", "dev.o"}
	branches = []string{"main", "feat/rope-scaling", "exp/lora-r64", "fix/dataloader-shuffle",
		"exp/lion-sweep", "feat/fp8-matmul", "exp/distill-temp", "release/2026.11", "feat/packing-v2",
		"fix/nccl-timeouts", "exp/warmup-ablation"}
	commitMessages = []string{
		"fix: clamp rope theta at long context",
		"perf: fuse layernorm and dropout kernels",
		"data: refresh instruction shards (v4.2)",
		"feat: add lion optimizer",
		"chore: bump torch to 2.9.1",
		"fix: raise NCCL timeout for multi-node jobs",
		"exp: lower warmup to 500 steps",
		"eval: add humaneval-plus to nightly evals",
		"fix: shuffle seed per epoch in dataloader",
		"perf: enable fp8 matmuls on H100",
		"feat: async checkpoint upload to s3",
		"refactor: split trainer loop from eval loop",
		"fix: gradient clipping before loss scaling",
		"data: dedupe near-duplicate samples (minhash 0.85)",
		"feat: log MFU and tokens/s per rank",
	}
	runTags  = []string{"baseline", "sweep", "ablation", "priority", "repro", "nightly", "candidate", "long-run"}
	clusters = map[string][]string{
		"H100-80GB": {"us-east-h100-1", "us-east-h100-2", "eu-west-h100-1"},
		"A100-80GB": {"us-east-a100-2", "us-central-a100-1"},
		"A100-40GB": {"us-central-a100-3", "eu-west-a100-1"},
		"L4-24GB":   {"us-central-l4-1"},
	}
	failReasons = []struct {
		kind incidentKind
		text string
	}{
		{incOOM, "CUDA out of memory on rank 5: tried to allocate 2.50 GiB"},
		{incNCCL, "NCCL timeout: rank 3 did not respond within 1800s"},
		{incLossSpike, "loss became NaN; aborting after 3 skipped steps"},
		{incECC, "node gpu-node-17 lost: uncorrectable ECC error on GPU 4"},
		{incDataloader, "dataloader: shard not found in s3://datasets bucket"},
		{incNCCL, "preempted: spot capacity reclaimed on cluster"},
	}
	regions = []string{"us-east-1", "us-east-1", "eu-west-1", "us-central-1"}
)
