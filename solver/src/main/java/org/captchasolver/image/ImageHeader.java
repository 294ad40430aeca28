package org.captchasolver.image;

/** What an image file says about itself; {@code channels} is -1 when only the header was read. */
public record ImageHeader(String format, int width, int height, int channels) {}
