import { describe, expect, it } from "vitest";
import { detectLanguage, errorKey, LANGUAGES } from "./i18n";

describe("detectLanguage", () => {
  it("takes the first preferred language we speak", () => {
    expect(detectLanguage(["ru-RU", "en"])).toBe("ru");
    expect(detectLanguage(["de-DE", "en-GB"])).toBe("en");
    expect(detectLanguage(["fr"])).toBe("en");
    expect(detectLanguage([])).toBe("en");
  });
});

describe("translations", () => {
  it("Russian has every English message, none left empty", () => {
    for (const key of Object.keys(LANGUAGES.en) as (keyof typeof LANGUAGES.en)[]) {
      expect(LANGUAGES.ru[key], key).toBeTruthy();
    }
  });

  it("maps API error codes to messages people understand", () => {
    expect(errorKey("room_full")).toBe("roomFull");
    expect(errorKey("room_not_found")).toBe("roomNotFound");
    expect(errorKey("something_new")).toBe("genericError");
  });
});
