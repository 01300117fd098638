// Copyright 2019-present, the HuggingFace Inc. team, The Google AI Language Team and Facebook, Inc.
// Copyright (c) 2018, NVIDIA CORPORATION.  All rights reserved.
// Copyright 2019 Guillaume Becquin
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//     http://www.apache.org/licenses/LICENSE-2.0
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

use crate::bert::bert_model::BertConfig;
use crate::common::activations::TensorFunction;
use crate::common::dropout::Dropout;
use crate::common::qlinear::{LinearMode, QLinear, QuantizeDynamic};
use std::borrow::Borrow;
use tch::{nn, Tensor};

#[derive(Debug)]
pub struct BertSelfAttention {
    num_attention_heads: i64,
    attention_head_size: i64,
    dropout: Dropout,
    output_attentions: bool,
    query: QLinear,
    key: QLinear,
    value: QLinear,
    /// sentir patch 7: query, key and value as one layer (one product, and for int8 one
    /// quantization of the input), in the inference modes.
    qkv: Option<QLinear>,
}

impl BertSelfAttention {
    pub fn new<'p, P>(p: P, config: &BertConfig) -> BertSelfAttention
    where
        P: Borrow<nn::Path<'p>>,
    {
        assert_eq!(
            config.hidden_size % config.num_attention_heads,
            0,
            "Hidden size not a multiple of the number of attention heads"
        );
        let p = p.borrow();

        let query = QLinear::new(nn::linear(
            p / "query",
            config.hidden_size,
            config.hidden_size,
            Default::default(),
        ));
        let key = QLinear::new(nn::linear(
            p / "key",
            config.hidden_size,
            config.hidden_size,
            Default::default(),
        ));
        let value = QLinear::new(nn::linear(
            p / "value",
            config.hidden_size,
            config.hidden_size,
            Default::default(),
        ));

        let dropout = Dropout::new(config.attention_probs_dropout_prob);
        let attention_head_size = config.hidden_size / config.num_attention_heads;
        let output_attentions = config.output_attentions.unwrap_or(false);

        BertSelfAttention {
            num_attention_heads: config.num_attention_heads,
            attention_head_size,
            dropout,
            output_attentions,
            query,
            key,
            value,
            qkv: None,
        }
    }

    fn split_heads(&self, x: Tensor, bs: i64, dim_per_head: i64) -> Tensor {
        x.view((bs, -1, self.num_attention_heads, dim_per_head))
            .transpose(1, 2)
    }

    fn flatten(&self, x: Tensor, bs: i64, dim_per_head: i64) -> Tensor {
        x.transpose(1, 2)
            .contiguous()
            .view((bs, -1, self.num_attention_heads * dim_per_head))
    }

    pub fn forward_t(
        &self,
        hidden_states: &Tensor,
        mask: Option<&Tensor>,
        encoder_hidden_states: Option<&Tensor>,
        encoder_mask: Option<&Tensor>,
        train: bool,
    ) -> (Tensor, Option<Tensor>) {
        // sentir patch 7: with a fused query-key-value layer the three come from one product
        // (`project`); key and value are computed here only without it.
        let fused = self.qkv.is_some() && encoder_hidden_states.is_none() && !train;
        let (key_layer, value_layer, mask) = match encoder_hidden_states {
            Some(encoder_hidden_state_values) => (
                Some(encoder_hidden_state_values.apply(&self.key)),
                Some(encoder_hidden_state_values.apply(&self.value)),
                encoder_mask,
            ),
            None if fused => (None, None, mask),
            None => (
                Some(hidden_states.apply(&self.key)),
                Some(hidden_states.apply(&self.value)),
                mask,
            ),
        };

        let bs = hidden_states.size()[0];

        // sentir patch 4: inference without attention weights uses libtorch's fused
        // scaled-dot-product attention (one kernel instead of matmul, add, softmax, matmul).
        if !train && !self.output_attentions {
            let (q, k, v) = self.project(hidden_states, encoder_hidden_states, key_layer, value_layer);
            let q = self.split_heads(q, bs, self.attention_head_size);
            let k = self.split_heads(k, bs, self.attention_head_size);
            let v = self.split_heads(v, bs, self.attention_head_size);
            let mask = mask.map(|m| m.to_kind(q.kind()));
            let context = Tensor::scaled_dot_product_attention(
                &q,
                &k,
                &v,
                mask.as_ref(),
                0.0,
                false,
                1.0 / (self.attention_head_size as f64).sqrt(),
            );
            return (self.flatten(context, bs, self.attention_head_size), None);
        }

        let query_layer = self.split_heads(
            hidden_states.apply(&self.query),
            bs,
            self.attention_head_size,
        );
        let key_layer = self.split_heads(key_layer.expect("key without fusion"), bs, self.attention_head_size);
        let value_layer = self.split_heads(value_layer.expect("value without fusion"), bs, self.attention_head_size);
        let query_layer: Tensor = query_layer / (self.attention_head_size as f64).sqrt();

        let scores = if let Some(mask) = mask {
            query_layer.matmul(&key_layer.transpose(-1, -2)) + mask
        } else {
            query_layer.matmul(&key_layer.transpose(-1, -2))
        };

        let weights = scores
            .softmax(-1, scores.kind())
            .apply_t(&self.dropout, train);
        let context = self.flatten(weights.matmul(&value_layer), bs, self.attention_head_size);

        if !self.output_attentions {
            (context, None)
        } else {
            (context, Some(weights))
        }
    }
}

impl BertSelfAttention {
    /// sentir patch 7: query, key and value at inference, from the fused layer when there is
    /// one (three views of one `[.., 3 · hidden]` product), else from the three layers (key
    /// and value already computed by the caller).
    fn project(
        &self,
        hidden_states: &Tensor,
        encoder_hidden_states: Option<&Tensor>,
        key_layer: Option<Tensor>,
        value_layer: Option<Tensor>,
    ) -> (Tensor, Tensor, Tensor) {
        match (&self.qkv, encoder_hidden_states) {
            (Some(qkv), None) => {
                let h = self.num_attention_heads * self.attention_head_size;
                let parts = hidden_states.apply(qkv).split(h, -1);
                let mut parts = parts.into_iter();
                let mut next = || parts.next().expect("three parts");
                (next(), next(), next())
            }
            _ => (
                hidden_states.apply(&self.query),
                key_layer.expect("key without fusion"),
                value_layer.expect("value without fusion"),
            ),
        }
    }

    /// sentir patch 5: inference attention for the first position only: the query is
    /// `first` (`[batch, 1, hidden]`), keys and values come from every position.
    fn forward_first_token(&self, first: &Tensor, hidden_states: &Tensor, mask: Option<&Tensor>) -> Tensor {
        let bs = hidden_states.size()[0];
        let (q, k, v) = match &self.qkv {
            // One product for every position (the query of the others is not used: about
            // a third of this layer's projection, against two more products and, for int8,
            // two more quantizations).
            Some(_) => {
                let (q, k, v) = self.project(hidden_states, None, None, None);
                (q.narrow(1, 0, 1), k, v)
            }
            None => (
                first.apply(&self.query),
                hidden_states.apply(&self.key),
                hidden_states.apply(&self.value),
            ),
        };
        let q = self.split_heads(q, bs, self.attention_head_size);
        let k = self.split_heads(k, bs, self.attention_head_size);
        let v = self.split_heads(v, bs, self.attention_head_size);
        let mask = mask.map(|m| m.to_kind(q.kind()));
        let context = Tensor::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            mask.as_ref(),
            0.0,
            false,
            1.0 / (self.attention_head_size as f64).sqrt(),
        );
        self.flatten(context, bs, self.attention_head_size)
    }
}

#[derive(Debug)]
pub struct BertSelfOutput {
    linear: QLinear,
    layer_norm: nn::LayerNorm,
    dropout: Dropout,
}

impl BertSelfOutput {
    pub fn new<'p, P>(p: P, config: &BertConfig) -> BertSelfOutput
    where
        P: Borrow<nn::Path<'p>>,
    {
        let p = p.borrow();

        let linear = QLinear::new(nn::linear(
            p / "dense",
            config.hidden_size,
            config.hidden_size,
            Default::default(),
        ));
        let layer_norm_config = nn::LayerNormConfig {
            eps: config.layer_norm_eps.unwrap_or(1e-12),
            ..Default::default()
        };
        let layer_norm =
            nn::layer_norm(p / "LayerNorm", vec![config.hidden_size], layer_norm_config);
        let dropout = Dropout::new(config.hidden_dropout_prob);

        BertSelfOutput {
            linear,
            layer_norm,
            dropout,
        }
    }

    pub fn forward_t(&self, hidden_states: &Tensor, input_tensor: &Tensor, train: bool) -> Tensor {
        // sentir patch 7: at inference (no dropout) the residual is added by the layer.
        let hidden_states: Tensor = if train {
            input_tensor
                + hidden_states
                    .apply(&self.linear)
                    .apply_t(&self.dropout, train)
        } else {
            self.linear.forward_add(hidden_states, input_tensor)
        };
        hidden_states.apply(&self.layer_norm)
    }
}

#[derive(Debug)]
pub struct BertAttention {
    _self: BertSelfAttention,
    output: BertSelfOutput,
}

impl BertAttention {
    pub fn new<'p, P>(p: P, config: &BertConfig) -> BertAttention
    where
        P: Borrow<nn::Path<'p>>,
    {
        let p = p.borrow();

        let _self = BertSelfAttention::new(p / "self", config);
        let output = BertSelfOutput::new(p / "output", config);
        BertAttention { _self, output }
    }

    pub fn forward_t(
        &self,
        hidden_states: &Tensor,
        mask: Option<&Tensor>,
        encoder_hidden_states: Option<&Tensor>,
        encoder_mask: Option<&Tensor>,
        train: bool,
    ) -> (Tensor, Option<Tensor>) {
        let (self_output, attention_weights) = self._self.forward_t(
            hidden_states,
            mask,
            encoder_hidden_states,
            encoder_mask,
            train,
        );

        let self_output = self.output.forward_t(&self_output, hidden_states, train);
        (self_output, attention_weights)
    }
}

impl BertAttention {
    /// sentir patch 5: self-attention block output for the first position only
    /// (`[batch, 1, hidden]`), at inference.
    pub fn forward_first_token(&self, hidden_states: &Tensor, mask: Option<&Tensor>) -> Tensor {
        let first = hidden_states.narrow(1, 0, 1);
        let context = self._self.forward_first_token(&first, hidden_states, mask);
        self.output.forward_t(&context, &first, false)
    }
}

pub struct BertIntermediate {
    lin: QLinear,
    activation: TensorFunction,
}

impl BertIntermediate {
    pub fn new<'p, P>(p: P, config: &BertConfig) -> BertIntermediate
    where
        P: Borrow<nn::Path<'p>>,
    {
        let p = p.borrow();

        let lin = QLinear::new(nn::linear(
            p / "dense",
            config.hidden_size,
            config.intermediate_size,
            Default::default(),
        ));
        let activation = config.hidden_act.get_function();
        BertIntermediate { lin, activation }
    }

    pub fn forward(&self, hidden_states: &Tensor) -> Tensor {
        (self.activation.get_fn())(&hidden_states.apply(&self.lin))
    }
}

pub struct BertOutput {
    lin: QLinear,
    layer_norm: nn::LayerNorm,
    dropout: Dropout,
}

impl BertOutput {
    pub fn new<'p, P>(p: P, config: &BertConfig) -> BertOutput
    where
        P: Borrow<nn::Path<'p>>,
    {
        let p = p.borrow();

        let lin = QLinear::new(nn::linear(
            p / "dense",
            config.intermediate_size,
            config.hidden_size,
            Default::default(),
        ));
        let layer_norm_config = nn::LayerNormConfig {
            eps: config.layer_norm_eps.unwrap_or(1e-12),
            ..Default::default()
        };
        let layer_norm =
            nn::layer_norm(p / "LayerNorm", vec![config.hidden_size], layer_norm_config);
        let dropout = Dropout::new(config.hidden_dropout_prob);

        BertOutput {
            lin,
            layer_norm,
            dropout,
        }
    }

    pub fn forward_t(&self, hidden_states: &Tensor, input_tensor: &Tensor, train: bool) -> Tensor {
        // sentir patch 7: at inference (no dropout) the residual is added by the layer.
        let hidden_states: Tensor = if train {
            input_tensor + hidden_states.apply(&self.lin).apply_t(&self.dropout, train)
        } else {
            self.lin.forward_add(hidden_states, input_tensor)
        };
        hidden_states.apply(&self.layer_norm)
    }
}

// sentir patch 3: int8 dynamic quantization of the Linear layers.
impl QuantizeDynamic for BertSelfAttention {
    fn set_linear_mode(&mut self, mode: LinearMode) {
        // sentir patch 7: in the inference modes one fused layer does the work of the three,
        // whose float weights are then released (cross-attention and training, which use
        // them, do not run on an inference model).
        match mode {
            LinearMode::Float => {
                self.query.set_linear_mode(mode);
                self.key.set_linear_mode(mode);
                self.value.set_linear_mode(mode);
                self.qkv = None;
            }
            _ => {
                self.qkv = Some(QLinear::fused(&[&self.query, &self.key, &self.value], mode));
                self.query.release_float();
                self.key.release_float();
                self.value.release_float();
            }
        }
    }
}

impl QuantizeDynamic for BertAttention {
    fn set_linear_mode(&mut self, mode: LinearMode) {
        self._self.set_linear_mode(mode);
        self.output.linear.set_linear_mode(mode);
    }
}

impl QuantizeDynamic for BertIntermediate {
    fn set_linear_mode(&mut self, mode: LinearMode) {
        self.lin.set_linear_mode(mode);
    }
}

impl QuantizeDynamic for BertOutput {
    fn set_linear_mode(&mut self, mode: LinearMode) {
        self.lin.set_linear_mode(mode);
    }
}
