/**
 * What a model is: its manifest and network description, its alphabet and label rules, the bundle's files, and how
 * answers are read from the network's output (CTC beam search, or one head per position).
 */
package org.captchasolver.model;
