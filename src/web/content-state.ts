// Whether the shipped question banks are being loaded after a first start (main.ts runs the
// load in the background once the server listens). Pages that start attempts say so and wait.
export type ContentState = {
  loading(): boolean;
  startLoading(): void;
  doneLoading(): void;
};

export function contentState(): ContentState {
  let loading = false;
  return {
    loading: () => loading,
    startLoading: () => {
      loading = true;
    },
    doneLoading: () => {
      loading = false;
    },
  };
}
